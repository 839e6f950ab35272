package dev.rekey.inventory.discovery;

import java.util.List;

/** Lists the metadata of a KV v2 mount: what discovery needs of Vault. Blocking. */
public interface VaultDirectory {

    /**
     * The keys directly below {@code folder} of {@code mount} ({@code ""} = the mount's root); folders end in
     * {@code /}. Empty when the folder does not exist.
     *
     * @throws ListingDeniedException    when the inventory's policy does not allow listing this folder
     * @throws VaultUnavailableException when Vault is not configured, cannot be reached or answers an error
     */
    List<String> list(String mount, String folder);

    /** The policy does not let the inventory list this folder; the message is the folder (a path, not a secret). */
    final class ListingDeniedException extends RuntimeException {

        public ListingDeniedException(String folder) {
            super(folder, null, false, false);
        }
    }

    /** Vault could not answer a listing; the message names no secret. */
    final class VaultUnavailableException extends RuntimeException {

        public VaultUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
