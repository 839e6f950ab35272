package dev.rekey.inventory.campaign;

import dev.rekey.events.CauseType;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * A manual rotation now: one {@code rotation-due.urgent} (cause MANUAL) through the outbox, with the audit entry, in
 * the caller's transaction; refused (409 {@code rotation-running}) while another rotation of the credential is in
 * flight ({@link InFlightRotations}). The worker's result updates the credential through the usual result consumer.
 */
@ApplicationScoped
public class ManualRotation {

    private final AuditLog audit;
    private final InFlightRotations inFlight;

    ManualRotation(AuditLog audit, InFlightRotations inFlight) {
        this.audit = audit;
        this.inFlight = inFlight;
    }

    /** The rotation requested; must run inside a transaction. Someone else's credential is 404, as for reads. */
    public Uni<Requested> request(String credentialId, Caller caller) {
        return Credential.<Credential>findById(credentialId).chain(credential -> {
            if (credential == null || !caller.maySee(credential.ownerId)) {
                throw ApiProblem.notFound("credential", credentialId);
            }
            if (!RotationRequests.rotatable(credential)) {
                throw ApiProblem.conflict("the credential has no owner or no downstream user yet; complete it"
                        + " (PUT /api/v1/credentials/" + credentialId + ") before rotating it");
            }
            return DownstreamSystem.<DownstreamSystem>findById(credential.systemId)
                    .chain(system -> {
                        if (system == null) {
                            throw ApiProblem.conflict("the credential's system " + credential.systemId
                                    + " does not exist; the credential cannot be rotated");
                        }
                        return Owner.<Owner>findById(credential.ownerId).chain(owner -> {
                            if (owner == null) {
                                throw ApiProblem.conflict("the credential's owner does not exist;"
                                        + " the credential cannot be rotated");
                            }
                            return emit(credential, system, owner, caller);
                        });
                    });
        });
    }

    private Uni<Requested> emit(Credential credential, DownstreamSystem system, Owner owner, Caller caller) {
        UUID rotationId = UUID.randomUUID();
        return Panache.getSession()
                .chain(session -> inFlight.claim(session, credential.id, rotationId, CauseType.MANUAL))
                .chain(claimed -> {
                    if (!claimed) {
                        throw ApiProblem.conflict("rotation-running", "Rotation running", "credential '"
                                + credential.id + "' is being rotated already (by a breach campaign or a manual"
                                + " rotation); its result is awaited, see GET /api/v1/credentials/" + credential.id);
                    }
                    RotationDue due = RotationRequests.forManual(rotationId, credential, system, owner,
                            StoredInstant.now());
                    // keyed by system as the breach fan-out is (one system's rotations on one partition), subject
                    // the credential
                    OutboxEvent row = OutboxEvent.keyed(Topics.ROTATION_DUE_URGENT, EventTypes.ROTATION_DUE,
                            "credential", credential.id, due.recordKey(), due);
                    return row.persist();
                })
                .call(() -> audit.record(caller, AuditAction.CREDENTIAL_ROTATION_REQUESTED, credential.id, List.of(),
                        "rotation " + rotationId))
                .replaceWith(new Requested(credential.id, rotationId));
    }

    /** What was requested: the credential and the rotation id its result will carry. */
    public record Requested(String credentialId, UUID rotationId) {
    }
}
