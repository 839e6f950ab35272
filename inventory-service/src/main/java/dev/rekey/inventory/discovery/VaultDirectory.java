package dev.rekey.inventory.discovery;

import java.util.List;

/**
 * Lists the metadata of a KV v2 mount: the seam between discovery and however the inventory logs in to Vault (a
 * token today; AppRole through the shared {@code vault-access} module once it is there). Blocking.
 */
public interface VaultDirectory {

    /**
     * The keys directly below {@code folder} of {@code mount} ({@code ""} = the mount's root); folders end in
     * {@code /}. Empty when the folder does not exist.
     *
     * @throws VaultUnavailableException when Vault is not configured, cannot be reached or refuses the listing
     */
    List<String> list(String mount, String folder);

    /** Vault could not answer a listing; the message names no secret. */
    final class VaultUnavailableException extends RuntimeException {

        public VaultUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
