package dev.rekey.client;

import java.util.Objects;

/**
 * One version of a watched credential as Vault holds it: the downstream user to log in as and its secret. With the
 * alternating strategy the username changes with the value, so always take both from the same {@code Credential}.
 * Its {@link #toString()} never shows the secret.
 *
 * @param credentialId the rekey credential id
 * @param version      the Vault KV v2 version this value was read from
 * @param username     the downstream user this value logs in as
 * @param secret       the value, redacted when printed
 */
public record Credential(String credentialId, long version, String username, Secret secret) {

    public Credential {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
    }
}
