package dev.rekey.notifier.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.MalformedEventException;
import dev.rekey.notifier.delivery.DeliveryKind;
import dev.rekey.notifier.delivery.DeliveryLog;
import dev.rekey.notifier.delivery.DeliverySender;
import dev.rekey.notifier.mail.BreachAlert;
import dev.rekey.notifier.mail.OwnerDigest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Each owner's progress through a breach campaign: enqueues the breach-reported mail when the breach arrives, and
 * the summary once the owner's outcomes reach the expected count, whichever of the events comes last. Each event is
 * one transaction; the delivery log is written in it, and the sender is woken after the commit.
 */
@ApplicationScoped
public class CampaignProgress {

    private static final Logger LOG = Logger.getLogger(CampaignProgress.class);

    private final CampaignStore store;
    private final DeliveryLog deliveries;
    private final DeliverySender sender;
    private final CampaignConfig config;

    CampaignProgress(CampaignStore store, DeliveryLog deliveries, DeliverySender sender, CampaignConfig config) {
        this.store = store;
        this.deliveries = deliveries;
        this.sender = sender;
        this.config = config;
    }

    /** A breach was reported: remember its owners, enqueue their alerts, and catch up on outcomes already here. */
    public Uni<Void> open(BreachReported breach) {
        // owners in a fixed order, so that two transactions never take their locks in opposite orders
        List<BreachReported.OwnerCount> owners = breach.owners().stream()
                .sorted(Comparator.comparing(BreachReported.OwnerCount::ownerId)).toList();
        return inTransaction(() -> Multi.createFrom().iterable(owners)
                .onItem().transformToUniAndConcatenate(owner -> open(breach, owner))
                .collect().last().replaceWith(true));
    }

    private Uni<Boolean> open(BreachReported breach, BreachReported.OwnerCount owner) {
        return store.lock(breach.breachId(), owner.ownerId())
                .chain(() -> store.upsertOwner(breach, owner))
                .chain(() -> deliveries.enqueue(breach.breachId(), owner.ownerId(), DeliveryKind.BREACH_REPORTED,
                        owner.email(), new BreachAlert(breach, owner).compose()))
                .chain(() -> summarizeIfDone(breach.breachId(), owner.ownerId()));
    }

    /** A breach rotation ended: record it, and enqueue the owner's summary if it was the last one. */
    public Uni<Void> record(Outcome outcome) {
        return inTransaction(() -> store.lock(outcome.breachId(), outcome.ownerId())
                .chain(() -> store.insertOutcome(outcome))
                .chain(() -> summarizeIfDone(outcome.breachId(), outcome.ownerId())));
    }

    /** True when the summary was enqueued. */
    private Uni<Boolean> summarizeIfDone(UUID breachId, String ownerId) {
        return store.summaryDue(breachId, ownerId).chain(due -> due
                ? summarize(breachId, ownerId)
                : Uni.createFrom().item(false));
    }

    private Uni<Boolean> summarize(UUID breachId, String ownerId) {
        return store.owner(breachId, ownerId).chain(owner -> store.outcomes(breachId, ownerId)
                .map(outcomes -> digest(owner, outcomes))
                .chain(digest -> deliveries.enqueue(breachId, ownerId, DeliveryKind.BREACH_SUMMARY, owner.email,
                        digest.compose())));
    }

    private static OwnerDigest digest(CampaignOwner owner, List<RotationOutcome> outcomes) {
        return new OwnerDigest(owner.breachId, owner.title, owner.ownerId, owner.expectedCount, outcomes.stream()
                .map(o -> new OwnerDigest.CredentialOutcome(o.credentialId, o.outcome == OutcomeKind.ROTATED,
                        o.version, o.vaultPath, o.failedStep, o.reason, o.oldCredentialValid, o.occurredAt))
                .toList());
    }

    // Bounded retries for what is not the record's fault (the database away, a deadlock); a malformed record is
    // never retried. After the last retry the failure reaches the channel, which dead-letters the record.
    // The sender is woken only when the transaction enqueued mail; the timer covers everything else.
    private Uni<Void> inTransaction(Supplier<Uni<Boolean>> enqueuedMail) {
        return Panache.withTransaction(enqueuedMail)
                .onFailure(CampaignProgress::worthRetrying).invoke(failure -> LOG.warnf(
                        "a campaign transaction failed, retrying (at most %d times): %s", config.retries(), failure))
                .onFailure(CampaignProgress::worthRetrying).retry()
                .withBackOff(config.retryBackoff(), config.maxRetryBackoff()).atMost(config.retries())
                .invoke(enqueued -> {
                    if (enqueued) {
                        sender.wakeUp();
                    }
                })
                .replaceWithVoid();
    }

    private static boolean worthRetrying(Throwable failure) {
        return !(failure instanceof MalformedEventException);
    }
}
