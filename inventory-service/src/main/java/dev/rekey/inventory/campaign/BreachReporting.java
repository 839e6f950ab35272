package dev.rekey.inventory.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.BreachSelector;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Opens a breach campaign in one transaction: the breach, one tracked row per credential in its blast radius, and
 * the outbox rows for {@code rotation-due.urgent} (one per credential) and {@code breach-reported}.
 */
@ApplicationScoped
public class BreachReporting {

    private static final Logger LOG = Logger.getLogger(BreachReporting.class);
    private static final String UNROTATABLE = "not rotated: the credential has no owner or no downstream user yet;"
            + " complete it (PUT /api/v1/credentials/{id}) and rotate it";

    private final BlastRadius blastRadius;

    BreachReporting(BlastRadius blastRadius) {
        this.blastRadius = blastRadius;
    }

    /** Reports a breach; must run inside a transaction. */
    public Uni<Breach> report(String title, String reason, BreachSelector selector, String reportedBy) {
        Instant now = StoredInstant.now();
        Breach breach = new Breach();
        breach.id = UUID.randomUUID();
        breach.title = title;
        breach.reason = reason;
        breach.selector = selector;
        breach.reportedBy = reportedBy;
        breach.reportedAt = now;
        return blastRadius.of(selector)
                .map(matches -> matches.stream().map(BlastRadius.Match::credential).toList())
                .chain(credentials -> systemsOf(credentials).chain(systems -> ownersOf(credentials)
                        .chain(owners -> persist(breach, credentials, systems, owners))));
    }

    private Uni<Breach> persist(Breach breach, List<Credential> credentials, Map<String, DownstreamSystem> systems,
                                Map<String, Owner> owners) {
        breach.total = credentials.size();
        // a radius that turned out empty is a campaign with nothing to wait for
        breach.completedAt = credentials.isEmpty() ? breach.reportedAt : null;
        // grouped by entity type: Hibernate batches consecutive inserts into the same table only
        List<Object> campaign = new ArrayList<>(credentials.size() + 1);
        List<Object> outbox = new ArrayList<>(credentials.size() + 1);
        campaign.add(breach);
        for (Credential credential : credentials) {
            BreachCredential row = track(breach, credential);
            campaign.add(row);
            if (row.status == BreachCredentialStatus.FAILED) {
                continue;
            }
            RotationDue due = RotationRequests.forBreach(breach.id, row.rotationId, credential,
                    systems.get(credential.systemId), owners.get(credential.ownerId), breach.reportedAt);
            // keyed by system (one system's rotations on one partition), subject the credential
            outbox.add(OutboxEvent.keyed(Topics.ROTATION_DUE_URGENT, EventTypes.ROTATION_DUE, "credential",
                    credential.id, due.recordKey(), due));
        }
        outbox.add(OutboxEvent.of(Topics.BREACH_REPORTED, EventTypes.BREACH_REPORTED, "breach", breach.id.toString(),
                reported(breach, credentials, owners)));
        return Panache.getSession()
                .chain(session -> session.persistAll(campaign.toArray())
                        .chain(() -> session.persistAll(outbox.toArray()))
                        .chain(session::flush)
                        // one statement instead of a dirty-checked update per credential
                        .chain(() -> session.createMutationQuery("update Credential c set c.status = :rotating"
                                        + " where c.id in (select bc.credentialId from BreachCredential bc"
                                        + " where bc.breachId = :breach and bc.status = :pending)")
                                .setParameter("rotating", CredentialStatus.ROTATING)
                                .setParameter("breach", breach.id)
                                .setParameter("pending", BreachCredentialStatus.PENDING)
                                .executeUpdate()))
                .invoke(() -> LOG.infof("breach %s reported by %s: %d credentials to rotate", breach.id,
                        breach.reportedBy, breach.total))
                .replaceWith(breach);
    }

    private static BreachCredential track(Breach breach, Credential credential) {
        BreachCredential tracked = new BreachCredential();
        tracked.rotationId = UUID.randomUUID();
        tracked.breachId = breach.id;
        tracked.credentialId = credential.id;
        tracked.ownerId = credential.ownerId;
        tracked.status = BreachCredentialStatus.PENDING;
        tracked.updatedAt = breach.reportedAt;
        if (!RotationRequests.rotatable(credential)) {
            // an unowned (discovered) credential is in the radius, but nobody can be told and no user is known
            tracked.status = BreachCredentialStatus.FAILED;
            tracked.reason = UNROTATABLE;
        }
        return tracked;
    }

    private static BreachReported reported(Breach breach, List<Credential> credentials, Map<String, Owner> owners) {
        Map<String, Long> counts = credentials.stream().filter(c -> c.ownerId != null)
                .collect(Collectors.groupingBy(c -> c.ownerId, TreeMap::new, Collectors.counting()));
        List<BreachReported.OwnerCount> perOwner = counts.entrySet().stream()
                .map(e -> new BreachReported.OwnerCount(e.getKey(), owners.get(e.getKey()).email,
                        e.getValue().intValue()))
                .toList();
        return new BreachReported(breach.id, breach.title, breach.reason, breach.selector, breach.reportedBy,
                breach.reportedAt, breach.total, perOwner);
    }

    private static Uni<Map<String, DownstreamSystem>> systemsOf(List<Credential> credentials) {
        List<String> ids = credentials.stream().map(c -> c.systemId).distinct().toList();
        return ids.isEmpty() ? Uni.createFrom().item(Map.of())
                : DownstreamSystem.<DownstreamSystem>list("id in ?1", ids)
                .map(list -> list.stream().collect(Collectors.toMap(s -> s.id, Function.identity())));
    }

    private static Uni<Map<String, Owner>> ownersOf(List<Credential> credentials) {
        List<String> ids = credentials.stream().map(c -> c.ownerId).filter(java.util.Objects::nonNull).distinct()
                .toList();
        return ids.isEmpty() ? Uni.createFrom().item(Map.of())
                : Owner.<Owner>list("id in ?1", ids)
                .map(list -> list.stream().collect(Collectors.toMap(o -> o.id, Function.identity())));
    }
}
