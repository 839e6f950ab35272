package dev.rekey.client;

import java.time.Duration;

/**
 * A version of a watched credential that could not be read. It never carries a secret value: {@code reason} is
 * built from Vault's status code and error kind, never from the response body.
 *
 * @param credentialId the watched credential
 * @param version      the version that was asked for; 0 when the current version was asked for (at start, after
 *                     a reconnect or on the periodic check)
 * @param reason       what went wrong, e.g. {@code version 7 is deleted or destroyed (404)}
 * @param attempt      how many times in a row this read has failed
 * @param retryIn      when the client tries again
 */
public record ReloadFailure(String credentialId, long version, String reason, int attempt, Duration retryIn) {
}
