package dev.rekey.worker.vault;

/** Vault could not be reached or answered 5xx/429: worth retrying. The message carries no secret and no body. */
public class VaultUnavailableException extends RuntimeException {

    public VaultUnavailableException(String action, int status) {
        super(status > 0 ? "vault unavailable (HTTP " + status + ") " + action : "vault unreachable " + action, null,
                false, false);
    }
}
