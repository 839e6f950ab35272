package dev.rekey.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential has a new value in Vault that was verified against its downstream system. Topic
 * {@link Topics#SECRET_ROTATED}, type {@link EventTypes#SECRET_ROTATED}, keyed by credential id. Services that use
 * the credential reload it from {@code vaultMount}/{@code vaultPath} at {@code version}.
 *
 * @param version         the KV v2 version that holds the new value
 * @param previousVersion the version it replaced
 * @param activeUsername  the downstream user that the new value logs in as: with the alternating strategy it
 *                        changes with each rotation; absent in events of older workers (read it from Vault then)
 * @param durationMs      from the worker receiving the request to the commit in Vault
 */
public record SecretRotated(UUID rotationId, String credentialId, String vaultMount, String vaultPath, long version,
                            long previousVersion, String activeUsername, Cause cause, OwnerRef owner,
                            Instant rotatedAt, long durationMs) {

    public SecretRotated {
        Objects.requireNonNull(rotationId, "rotationId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(vaultMount, "vaultMount");
        Objects.requireNonNull(vaultPath, "vaultPath");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
    }
}
