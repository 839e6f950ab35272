package dev.rekey.inventory.campaign;

import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Starts the rotations of a campaign's PENDING rows (a new campaign, or a retry pass): each credential is claimed,
 * or joins the rotation already in flight for it ({@link InFlightRotations}); a {@code rotation-due.urgent} goes
 * into the outbox for each claimed one only; the credentials are ROTATING. In the caller's transaction, after its
 * rows are flushed.
 */
@ApplicationScoped
class CampaignFanOut {

    private static final String ROTATING = "update Credential c set c.status = :rotating"
            + " where c.id in (select bc.credentialId from BreachCredential bc"
            + " where bc.breachId = :breach and bc.status = :pending)";

    private final InFlightRotations inFlight;

    CampaignFanOut(InFlightRotations inFlight) {
        this.inFlight = inFlight;
    }

    /** A PENDING campaign row and its credential. */
    record Started(BreachCredential row, Credential credential) {
    }

    /** Starts {@code rows}; returns the rotation ids of those that joined a rotation already in flight. */
    Uni<java.util.Set<UUID>> start(Mutiny.Session session, UUID breachId, List<Started> rows, Map<String, DownstreamSystem> systems,
                       Map<String, Owner> owners, Instant requestedAt) {
        return inFlight.settle(session, breachId).chain(followers -> {
            List<OutboxEvent> outbox = new ArrayList<>(rows.size());
            for (Started started : rows) {
                if (followers.contains(started.row().rotationId)) {
                    continue;
                }
                Credential credential = started.credential();
                RotationDue due = RotationRequests.forBreach(breachId, started.row().rotationId, credential,
                        systems.get(credential.systemId), owners.get(credential.ownerId), requestedAt);
                // keyed by system (one system's rotations on one partition), subject the credential
                outbox.add(OutboxEvent.keyed(Topics.ROTATION_DUE_URGENT, EventTypes.ROTATION_DUE, "credential",
                        credential.id, due.recordKey(), due));
            }
            return OutboxEvent.insertAll(session, outbox)
                    // one statement instead of a dirty-checked update per credential
                    .chain(() -> session.createMutationQuery(ROTATING)
                            .setParameter("rotating", CredentialStatus.ROTATING)
                            .setParameter("breach", breachId)
                            .setParameter("pending", BreachCredentialStatus.PENDING)
                            .executeUpdate())
                    .replaceWith(followers);
        });
    }

    static Uni<Map<String, DownstreamSystem>> systemsOf(Collection<Credential> credentials) {
        List<String> ids = credentials.stream().map(c -> c.systemId).filter(Objects::nonNull).distinct().toList();
        return ids.isEmpty() ? Uni.createFrom().item(Map.of())
                : DownstreamSystem.<DownstreamSystem>list("id in ?1", ids)
                .map(list -> list.stream().collect(Collectors.toMap(s -> s.id, Function.identity())));
    }

    static Uni<Map<String, Owner>> ownersOf(Collection<Credential> credentials) {
        List<String> ids = credentials.stream().map(c -> c.ownerId).filter(Objects::nonNull).distinct().toList();
        return ids.isEmpty() ? Uni.createFrom().item(Map.of())
                : Owner.<Owner>list("id in ?1", ids)
                .map(list -> list.stream().collect(Collectors.toMap(o -> o.id, Function.identity())));
    }
}
