package dev.rekey.worker.vault;

/** Vault refused a request (403, 400 other than check-and-set, ...): retrying will not help. */
public class VaultRejectedException extends RuntimeException {

    public VaultRejectedException(String action, int status) {
        super("vault refused " + action + " (HTTP " + status + ")", null, false, false);
    }
}
