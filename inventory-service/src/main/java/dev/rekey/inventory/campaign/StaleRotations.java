package dev.rekey.inventory.campaign;

import dev.rekey.events.Cause;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OldCredential;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Ends the claims of rotations that nobody reports on any more ({@code rotations_in_flight}, V26). A worker reports
 * on every attempt, and retries a rotation at most {@code rekey.worker.retry.max-delay} apart, so a claim not heard
 * of for {@code rekey.campaign.rotation-timeout} (1 h) belongs to a rotation whose request or results are lost;
 * without this its credential could never be rotated again and every breach would follow it for ever.
 *
 * <p>An expired claim is marked ({@code expired_at}) and a final {@code rotation-failed} (oldCredential UNKNOWN: no
 * one looked) goes into the outbox in the same transaction. The inventory applies it as any final failure, through
 * its own result consumer: the campaign rows are FAILED with the reason (a retry rotates them again), the claim is
 * released; the notifier tells the owner, and the breach's digest counts it. The mark makes it happen once with any
 * number of instances ({@code SKIP LOCKED}, then the mark is seen); a breach reported meanwhile takes the expired
 * claim over ({@link InFlightRotations}). A result that comes after all still counts ({@link RotationResults}).
 */
@ApplicationScoped
public class StaleRotations {

    private static final Logger LOG = Logger.getLogger(StaleRotations.class);
    /** The step an expired rotation reports: the worker never said which step it reached. */
    static final String STEP = "await-result";
    private static final int BATCH = 500;

    // every claimed credential has an owner: only a rotatable one is claimed, and an owner in use cannot be deleted
    private static final String EXPIRE = "WITH expired AS (UPDATE rotations_in_flight r SET expired_at = now()"
            + " WHERE r.rotation_id IN (SELECT s.rotation_id FROM rotations_in_flight s WHERE s.expired_at IS NULL"
            + " AND s.heard_at < now() - make_interval(secs => :timeout) ORDER BY s.heard_at LIMIT :batch"
            + " FOR UPDATE SKIP LOCKED)"
            + " RETURNING r.rotation_id, r.credential_id, r.cause, r.heard_at)"
            + " SELECT e.rotation_id, e.credential_id, e.cause, bc.breach_id, o.id, o.email"
            + " FROM expired e JOIN credentials c ON c.id = e.credential_id JOIN owners o ON o.id = c.owner_id"
            + " LEFT JOIN breach_credentials bc ON bc.rotation_id = e.rotation_id ORDER BY e.heard_at";

    private final CampaignConfig config;
    private final OutboxRelay relay;

    StaleRotations(CampaignConfig config, OutboxRelay relay) {
        this.config = config;
        this.relay = relay;
    }

    @Scheduled(every = "${rekey.campaign.stale-check-interval:1m}", delayed = "${rekey.campaign.stale-check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onTimer() {
        return expire(config.rotationTimeout()).onFailure().recoverWithItem(failure -> {
            LOG.warnf("expiring stale rotation claims failed, the next check retries: %s", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** Expires the claims not heard of for {@code timeout} (at most one batch); returns how many. */
    public Uni<Integer> expire(Duration timeout) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery(EXPIRE, Object[].class)
                        .setParameter("timeout", (double) timeout.toSeconds()).setParameter("batch", BATCH)
                        .getResultList()
                        .chain(rows -> {
                            List<OutboxEvent> outbox = new ArrayList<>(rows.size());
                            Instant now = StoredInstant.now();
                            for (Object[] row : rows) {
                                outbox.add(failure(row, timeout, now));
                            }
                            return OutboxEvent.insertAll(session, outbox);
                        })))
                .invoke(expired -> {
                    if (expired > 0) {
                        LOG.warnf("%d rotation(s) not heard of for %s expired; each is reported as a final"
                                + " failure (retry the campaign or rotate the credential again)", expired, timeout);
                        relay.drainSoon();
                    }
                });
    }

    private static OutboxEvent failure(Object[] row, Duration timeout, Instant now) {
        UUID rotationId = (UUID) row[0];
        String credentialId = (String) row[1];
        CauseType type = CauseType.valueOf((String) row[2]);
        UUID breachId = (UUID) row[3];
        Cause cause = switch (type) {
            // a BREACH claim is always a campaign row's own rotation
            case BREACH -> Cause.breach(breachId);
            case MANUAL -> Cause.manual();
            case SCHEDULED -> Cause.scheduled();
        };
        LOG.warnf("rotation %s of credential %s: no word from a rotation worker for %s; reported as failed",
                rotationId, credentialId, timeout);
        RotationFailed event = new RotationFailed(rotationId, credentialId, STEP,
                "no word from a rotation worker for " + describe(timeout) + " after the request: the request or its"
                        + " results were lost; the value in Vault was not checked",
                0, true, OldCredential.UNKNOWN, cause, new OwnerRef((String) row[4], (String) row[5]), now);
        // keyed by credential like the worker's results
        return OutboxEvent.of(Topics.ROTATION_FAILED, EventTypes.ROTATION_FAILED, "credential", credentialId, event);
    }

    private static String describe(Duration timeout) {
        return timeout.toString().substring(2).toLowerCase();
    }
}
