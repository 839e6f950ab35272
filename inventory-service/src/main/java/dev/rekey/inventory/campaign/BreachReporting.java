package dev.rekey.inventory.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.BreachSelector;
import dev.rekey.events.EventTypes;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;
import dev.rekey.inventory.credential.domain.Credential;
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
import java.util.stream.Collectors;

/**
 * Opens a breach campaign in one transaction: the breach, one tracked row per credential in its blast radius, and
 * the outbox rows for {@code rotation-due.urgent} (one per credential not already being rotated: a credential in
 * flight in another campaign or a manual rotation is joined, {@link CampaignFanOut}) and {@code breach-reported}.
 */
@ApplicationScoped
public class BreachReporting {

    private static final Logger LOG = Logger.getLogger(BreachReporting.class);
    private static final String UNROTATABLE = "not rotated: the credential has no owner or no downstream user yet;"
            + " complete it (PUT /api/v1/credentials/{id}) and rotate it";

    private final BlastRadius blastRadius;
    private final CampaignFanOut fanOut;

    BreachReporting(BlastRadius blastRadius, CampaignFanOut fanOut) {
        this.blastRadius = blastRadius;
        this.fanOut = fanOut;
    }

    /** Reports a breach; must run inside a transaction. Returns the campaign with its first counts. */
    public Uni<CampaignProgress.Campaign> report(String title, String reason, BreachSelector selector,
                                                 String reportedBy) {
        Instant now = StoredInstant.now();
        Breach breach = new Breach();
        breach.id = UUID.randomUUID();
        breach.title = title;
        breach.reason = reason;
        breach.selector = selector;
        breach.reportedBy = reportedBy;
        breach.reportedAt = now;
        return blastRadius.requireNamedCredentials(selector)
                .chain(() -> blastRadius.of(selector))
                .chain(blastRadius::credentials)
                .chain(credentials -> CampaignFanOut.systemsOf(credentials)
                        .chain(systems -> CampaignFanOut.ownersOf(credentials)
                                .chain(owners -> persist(breach, credentials, systems, owners))));
    }

    private Uni<CampaignProgress.Campaign> persist(Breach breach, List<Credential> credentials,
                                                   Map<String, DownstreamSystem> systems, Map<String, Owner> owners) {
        breach.total = credentials.size();
        // a radius that turned out empty is a campaign with nothing to wait for
        breach.completedAt = credentials.isEmpty() ? breach.reportedAt : null;
        List<BreachCredential> campaign = new ArrayList<>(credentials.size());
        List<CampaignFanOut.Started> started = new ArrayList<>(credentials.size());
        for (Credential credential : credentials) {
            BreachCredential row = track(breach, credential);
            campaign.add(row);
            if (row.status == BreachCredentialStatus.PENDING) {
                started.add(new CampaignFanOut.Started(row, credential));
            }
        }
        long unrotatable = credentials.size() - started.size();
        return Panache.getSession()
                .chain(session -> session.persist(breach)
                        .chain(session::flush)
                        .chain(() -> BreachCredential.insertAll(session, campaign))
                        .chain(() -> fanOut.start(session, breach.id, started, systems, owners, breach.reportedAt))
                        .call(joined -> session.persist(OutboxEvent.of(Topics.BREACH_REPORTED,
                                        EventTypes.BREACH_REPORTED, "breach", breach.id.toString(),
                                        reported(breach, ownCredentials(credentials, started, joined), owners)))
                                .chain(session::flush))
                        .invoke(joined -> LOG.infof("breach %s reported by %s: %d credentials to rotate, %d of them"
                                + " joining a rotation already in flight", breach.id, breach.reportedBy,
                                breach.total, joined.size())))
                .replaceWith(() -> new CampaignProgress.Campaign(breach,
                        new CampaignProgress.Counts(0, unrotatable, 0, started.size())));
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

    /**
     * The credentials whose outcome this campaign's own results will tell: not those that joined a rotation already in
     * flight (a routine, manual or another campaign's), whose result carries that rotation's cause. The owners'
     * counts on {@code breach-reported} are these, so that the notifier's digest of this campaign waits only for
     * results that name it; a joined credential's outcome reaches its owner with the rotation it joined.
     */
    private static List<Credential> ownCredentials(List<Credential> credentials, List<CampaignFanOut.Started> started,
                                                   java.util.Set<UUID> joined) {
        if (joined.isEmpty()) {
            return credentials;
        }
        java.util.Set<String> joinedIds = started.stream().filter(s -> joined.contains(s.row().rotationId))
                .map(s -> s.credential().id).collect(Collectors.toSet());
        return credentials.stream().filter(c -> !joinedIds.contains(c.id)).toList();
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
}
