package dev.rekey.inventory.campaign;

import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;

import java.time.Instant;
import java.util.UUID;

/** Builds the {@link RotationDue} events that carry everything the stateless worker needs, and no secret. */
public final class RotationRequests {

    private RotationRequests() {
    }

    /** Whether rekey can rotate the credential: it has an owner to tell and a downstream user to rotate. */
    public static boolean rotatable(Credential credential) {
        return credential.ownerId != null && credential.username != null;
    }

    /** A breach rotation: urgent, and the user's live sessions are ended once the new value is set. */
    static RotationDue forBreach(UUID breachId, UUID rotationId, Credential credential, DownstreamSystem system,
                                 Owner owner, Instant requestedAt) {
        return of(Cause.breach(breachId), true, rotationId, credential, system, owner, requestedAt);
    }

    /**
     * A manual rotation: urgent as well, but nothing says the value leaked, so the user's sessions are left alone.
     */
    static RotationDue forManual(UUID rotationId, Credential credential, DownstreamSystem system, Owner owner,
                                 Instant requestedAt) {
        return of(Cause.manual(), false, rotationId, credential, system, owner, requestedAt);
    }

    /**
     * A scheduled rotation (the credential is past its policy's maximum age): routine, the user's sessions are left
     * alone.
     */
    public static RotationDue forScheduled(UUID rotationId, Credential credential, DownstreamSystem system,
                                           Owner owner, Instant requestedAt) {
        return of(Cause.scheduled(), false, rotationId, credential, system, owner, requestedAt);
    }

    private static RotationDue of(Cause cause, boolean terminateSessions, UUID rotationId, Credential credential,
                                  DownstreamSystem system, Owner owner, Instant requestedAt) {
        return new RotationDue(rotationId, credential.id, cause,
                new RotationDue.Credential(credential.kind, credential.vaultMount, credential.vaultPath,
                        credential.username, credential.systemId, credential.alternateUsername),
                new RotationDue.Target(system.type, system.host, system.port, system.database,
                        system.adminSecretPath, system.maxConcurrentRotations, system.settings),
                new RotationDue.Policy(credential.generator, credential.strategy),
                new OwnerRef(owner.id, owner.email),
                terminateSessions, requestedAt);
    }
}
