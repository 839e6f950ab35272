package dev.rekey.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential must be rotated. Topic {@link Topics#ROTATION_DUE} (scheduled) or {@link Topics#ROTATION_DUE_URGENT}
 * (breach, manual), type {@link EventTypes#ROTATION_DUE}, keyed by credential id. It carries everything the worker
 * needs, so that the worker stays stateless; it carries no secret value, only where the secrets live.
 *
 * @param rotationId        the idempotency key of this rotation
 * @param terminateSessions end the user's live sessions once the new value is set (breach rotations)
 */
public record RotationDue(UUID rotationId, String credentialId, Cause cause, Credential credential, Target target,
                          Policy policy, OwnerRef owner, boolean terminateSessions, Instant requestedAt) {

    public RotationDue {
        Objects.requireNonNull(rotationId, "rotationId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /**
     * Where the credential lives.
     *
     * @param kind       e.g. {@code postgresql-role}
     * @param vaultMount the KV v2 mount, e.g. {@code secret}
     * @param vaultPath  the secret's path below the mount
     * @param username   the downstream user whose password rotates
     */
    public record Credential(String kind, String vaultMount, String vaultPath, String username, String systemId) {

        public Credential {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(vaultMount, "vaultMount");
            Objects.requireNonNull(vaultPath, "vaultPath");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(systemId, "systemId");
        }
    }

    /**
     * The downstream system that the credential opens.
     *
     * @param type                   postgresql, mariadb, redis, rabbitmq, http or vault-kv
     * @param database               the database to log in to, where the type has one
     * @param adminSecretPath        {@code mount/path} of the Vault secret holding the admin login for this system
     * @param maxConcurrentRotations how many rotations the worker may run against this system at once
     */
    public record Target(String type, String host, int port, String database, String adminSecretPath,
                         int maxConcurrentRotations) {

        public Target {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(adminSecretPath, "adminSecretPath");
            if (maxConcurrentRotations < 1) {
                throw new IllegalArgumentException("maxConcurrentRotations must be at least 1");
            }
        }
    }

    /**
     * How the new value is made and applied.
     *
     * @param generator e.g. {@code password:32} (alphanumeric, 32 characters)
     * @param strategy  e.g. {@code in-place} (the same user gets a new password)
     */
    public record Policy(String generator, String strategy) {

        public Policy {
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(strategy, "strategy");
        }
    }
}
