package dev.rekey.worker.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;

/**
 * Runs Vault requests and sorts their failures: 5xx, 412, 429 and I/O errors are transient
 * ({@link VaultUnavailableException}), other non-2xx statuses are refusals ({@link VaultRejectedException}). The
 * driver's own exception messages quote response bodies, so they are never passed on.
 */
final class VaultCalls {

    private VaultCalls() {
    }

    interface DriverCall<T> {
        T run() throws VaultException;
    }

    interface RestCall {
        RestResponse run() throws RestException;
    }

    static <T> T call(String action, DriverCall<T> call) {
        try {
            return call.run();
        } catch (VaultException e) {
            // the driver throws for 5xx and I/O errors (status 0) and returns 4xx
            throw failure(action, Math.max(0, e.getHttpStatusCode()));
        }
    }

    static RestResponse callRest(String action, RestCall call) {
        try {
            return call.run();
        } catch (RestException e) {
            throw new VaultUnavailableException(action, 0);
        }
    }

    static int status(LogicalResponse response) {
        return response.getRestResponse().getStatus();
    }

    static void requireSuccess(String action, int status) {
        if (status < 200 || status > 299) {
            throw failure(action, status);
        }
    }

    static RuntimeException failure(String action, int status) {
        boolean transientStatus = status == 0 || status == 412 || status == 429 || status >= 500;
        return transientStatus ? new VaultUnavailableException(action, status) : new VaultRejectedException(action, status);
    }
}
