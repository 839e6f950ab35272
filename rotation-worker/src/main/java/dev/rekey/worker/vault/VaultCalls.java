package dev.rekey.worker.vault;

/**
 * Sorts Vault's answers: 5xx, 412, 429 and I/O errors are transient ({@link VaultUnavailableException}), other
 * non-2xx statuses are refusals ({@link VaultRejectedException}). Response bodies are never quoted: they may echo a
 * request.
 */
final class VaultCalls {

    private VaultCalls() {
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status <= 299;
    }

    static void requireSuccess(String action, int status) {
        if (!isSuccess(status)) {
            throw failure(action, status);
        }
    }

    static RuntimeException failure(String action, int status) {
        boolean transientStatus = status == 0 || status == 412 || status == 429 || status >= 500;
        return transientStatus ? new VaultUnavailableException(action, status) : new VaultRejectedException(action, status);
    }
}
