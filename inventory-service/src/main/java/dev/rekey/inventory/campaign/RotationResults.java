package dev.rekey.inventory.campaign;

import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies the worker's result events to the inventory: every campaign row of the rotation (its own and the rows of
 * other campaigns that joined it) and the credential; a final result releases the credential's claim
 * ({@link InFlightRotations}). Each event is applied in one transaction together with the record of its
 * CloudEvents id, so that a redelivered or duplicated event changes nothing. Updates are conditional, so events
 * that arrive late (a failure after the success of the same rotation) do not undo newer state; the result of a
 * rotation that a breach took over records the new version but leaves the credential ROTATING for the breach's
 * rotation. A success that comes after its rotation expired ({@link StaleRotations}) still counts: it is the truth.
 */
@ApplicationScoped
public class RotationResults {

    private final InventoryMetrics metrics;
    private final InFlightRotations inFlight;

    RotationResults(InventoryMetrics metrics, InFlightRotations inFlight) {
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    private static final String FIRST_TIME =
            "INSERT INTO processed_events (event_id) VALUES (:eventId) ON CONFLICT DO NOTHING";
    private static final String ROTATED = "UPDATE breach_credentials SET status = 'ROTATED', version = :version,"
            + " previous_version = :previousVersion, verified_at = :rotatedAt, reason = NULL, updated_at = now()"
            + " WHERE (rotation_id = :rotationId OR follows_rotation_id = :rotationId)"
            + " AND (status <> 'ROTATED' OR version IS DISTINCT FROM :version)";
    private static final String FAILED_FOR_GOOD = "UPDATE breach_credentials SET status = 'FAILED',"
            + " reason = :reason, attempts = GREATEST(attempts, :attempts), updated_at = now()"
            + " WHERE (rotation_id = :rotationId OR follows_rotation_id = :rotationId)"
            + " AND status IN ('PENDING', 'RETRYING')";
    private static final String FAILED_ATTEMPT = "UPDATE breach_credentials SET status = 'RETRYING',"
            + " reason = :reason, attempts = GREATEST(attempts, :attempts), updated_at = now()"
            + " WHERE (rotation_id = :rotationId OR follows_rotation_id = :rotationId)"
            + " AND status IN ('PENDING', 'RETRYING')";
    // A credential still claimed after the release is being rotated by another rotation (a breach took over from
    // this one): it stays ROTATING until that one's result.
    private static final String NOT_CLAIMED =
            "NOT EXISTS (SELECT 1 FROM rotations_in_flight r WHERE r.credential_id = :credentialId)";
    private static final String CREDENTIAL_ROTATED = "UPDATE credentials SET version = :version,"
            + " last_rotated_at = :rotatedAt, status = CASE WHEN " + NOT_CLAIMED + " THEN 'ACTIVE' ELSE status END"
            + " WHERE id = :credentialId AND version <= :version";
    private static final String CREDENTIAL_FAILED = "UPDATE credentials SET status = 'ROTATION_FAILED'"
            + " WHERE id = :credentialId AND (last_rotated_at IS NULL OR last_rotated_at < :failedAt)"
            + " AND " + NOT_CLAIMED;
    // Takes no lock, so that concurrent results do not queue on the breach row. Two transactions that finish the
    // last two rows at once may each still see the other's row pending; CampaignCloser completes such a breach.
    private static final String COMPLETE_BREACH = "UPDATE breaches b SET completed_at = now()"
            + " WHERE b.id IN (SELECT bc.breach_id FROM breach_credentials bc"
            + " WHERE bc.rotation_id = :rotationId OR bc.follows_rotation_id = :rotationId)"
            + " AND b.completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM breach_credentials p"
            + " WHERE p.breach_id = b.id AND p.status IN ('PENDING', 'RETRYING'))";

    /** A result event with its CloudEvents id, the key under which it is applied at most once. */
    public record Received<E>(String eventId, E event) {
    }

    /** Records a verified new value (see {@link #rotated(List)}). */
    public Uni<Void> rotated(String eventId, SecretRotated event) {
        return rotated(List.of(new Received<>(eventId, event)));
    }

    /**
     * Records verified new values, a batch in one transaction (one commit for a poll of results, not one per
     * result): each campaign row of a rotation is ROTATED with the versions and the verification time (the
     * evidence), the credential has the new version.
     */
    public Uni<Void> rotated(List<Received<SecretRotated>> events) {
        return inOneTransaction(events, true, RotationResults::applyRotated);
    }

    /**
     * Records a failed attempt: the campaign row is RETRYING with the reason and attempts; a final one marks it
     * FAILED and the credential ROTATION_FAILED.
     */
    public Uni<Void> failed(String eventId, RotationFailed event) {
        return inOneTransaction(List.of(new Received<>(eventId, event)), false, RotationResults::applyFailed);
    }

    private Uni<Void> applyRotated(Mutiny.Session session, SecretRotated event) {
        // the release comes first: it waits for a campaign that is joining this rotation to commit, so that the
        // update below sees the joined row
        return inFlight.release(session, event.rotationId())
                .chain(() -> update(session, ROTATED, "rotationId", event.rotationId(), "version", event.version(),
                        "previousVersion", event.previousVersion(), "rotatedAt", event.rotatedAt()))
                .chain(changed -> update(session, CREDENTIAL_ROTATED, "credentialId", event.credentialId(),
                        "version", event.version(), "rotatedAt", event.rotatedAt())
                        .chain(() -> changed > 0 ? completeCampaign(session, event.rotationId()) : done()));
    }

    private Uni<Void> applyFailed(Mutiny.Session session, RotationFailed event) {
        if (!event.finalAttempt()) {
            // the worker will try again: the claim is alive (StaleRotations expires only claims not heard of)
            return inFlight.heard(session, event.rotationId())
                    .chain(() -> update(session, FAILED_ATTEMPT, "rotationId", event.rotationId(),
                            "reason", event.reason(), "attempts", event.attempts()))
                    .replaceWithVoid();
        }
        return inFlight.release(session, event.rotationId())
                .chain(() -> update(session, FAILED_FOR_GOOD, "rotationId", event.rotationId(),
                        "reason", event.reason(), "attempts", event.attempts()))
                .chain(changed -> update(session, CREDENTIAL_FAILED, "credentialId", event.credentialId(),
                        "failedAt", event.failedAt())
                        .chain(() -> changed > 0 ? completeCampaign(session, event.rotationId()) : done()));
    }

    /**
     * Applies each event that was not applied before, in order, in one transaction; counted once committed. A
     * duplicate within the batch is skipped like any other.
     */
    private <E> Uni<Void> inOneTransaction(List<Received<E>> events, boolean rotated,
                                           Effect<E> effect) {
        AtomicInteger firstTimes = new AtomicInteger();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> Multi.createFrom().iterable(events)
                        .onItem().transformToUniAndConcatenate(received -> session.createNativeQuery(FIRST_TIME)
                                .setParameter("eventId", received.eventId()).executeUpdate()
                                .chain(inserted -> {
                                    if (inserted != 1) {
                                        return done();
                                    }
                                    firstTimes.incrementAndGet();
                                    return effect.apply(this, session, received.event());
                                }))
                        .collect().last().replaceWithVoid()))
                .invoke(() -> metrics.applied(rotated, firstTimes.get()));
    }

    @FunctionalInterface
    private interface Effect<E> {
        Uni<Void> apply(RotationResults results, Mutiny.Session session, E event);
    }

    private static Uni<Void> completeCampaign(Mutiny.Session session, UUID rotationId) {
        return update(session, COMPLETE_BREACH, "rotationId", rotationId).replaceWithVoid();
    }

    private static Uni<Integer> update(Mutiny.Session session, String sql, Object... namesAndValues) {
        var query = session.createNativeQuery(sql);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.setParameter((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return query.executeUpdate();
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
