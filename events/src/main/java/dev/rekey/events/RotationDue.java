package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential must be rotated. Topic {@link Topics#ROTATION_DUE} (scheduled) or {@link Topics#ROTATION_DUE_URGENT}
 * (breach, manual), type {@link EventTypes#ROTATION_DUE}. Keyed by the credential's <em>system</em> id (see
 * {@link Topics#ROTATION_DUE}): one system's rotations share a partition, so one worker bounds them. It carries
 * everything the worker needs, so that the worker stays stateless; it carries no secret value, only where the
 * secrets live.
 *
 * @param rotationId        the idempotency key of this rotation
 * @param terminateSessions end the user's live sessions once the new value works (breach rotations)
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

    /** The record key of this request on the rotation-due topics: the system id. */
    public String recordKey() {
        return credential.systemId();
    }

    /**
     * Where the credential lives.
     *
     * @param kind              e.g. {@code postgresql-role}
     * @param vaultMount        the KV v2 mount, e.g. {@code secret}
     * @param vaultPath         the secret's path below the mount
     * @param username          the downstream user whose password rotates (with the alternating strategy, the
     *                          first of the two users)
     * @param alternateUsername the second downstream user of the alternating strategy; absent for in-place
     */
    public record Credential(String kind, String vaultMount, String vaultPath, String username, String systemId,
                             String alternateUsername) {

        public Credential {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(vaultMount, "vaultMount");
            Objects.requireNonNull(vaultPath, "vaultPath");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(systemId, "systemId");
        }

        /** An in-place credential: one downstream user. */
        public Credential(String kind, String vaultMount, String vaultPath, String username, String systemId) {
            this(kind, vaultMount, vaultPath, username, systemId, null);
        }
    }

    /**
     * The downstream system that the credential opens.
     *
     * @param type                   postgresql, mariadb, redis, rabbitmq, http or vault-kv
     * @param database               the database to log in to, where the type has one
     * @param adminSecretPath        {@code mount/path} of the Vault secret holding the admin login for this system
     * @param maxConcurrentRotations how many rotations may run against this system at once, across all workers
     * @param settings               what only some types need (the management port of RabbitMQ, the calls of an
     *                               HTTP target); empty when the type needs nothing
     */
    public record Target(String type, String host, int port, String database, String adminSecretPath,
                         int maxConcurrentRotations,
                         @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TargetSettings.OmitWhenEmpty.class)
                         TargetSettings settings) {

        public Target {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(adminSecretPath, "adminSecretPath");
            if (maxConcurrentRotations < 1) {
                throw new IllegalArgumentException("maxConcurrentRotations must be at least 1");
            }
            settings = settings == null ? TargetSettings.NONE : settings;
        }

        /** A target that needs no settings. */
        public Target(String type, String host, int port, String database, String adminSecretPath,
                      int maxConcurrentRotations) {
            this(type, host, port, database, adminSecretPath, maxConcurrentRotations, TargetSettings.NONE);
        }
    }

    /**
     * How the new value is made and applied.
     *
     * @param generator a {@link GeneratorPolicy}, e.g. {@code password:32}
     * @param strategy  a {@link RotationStrategy}: {@code in-place} or {@code alternating}
     */
    public record Policy(String generator, String strategy) {

        public Policy {
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(strategy, "strategy");
        }
    }
}
