package dev.rekey.inventory.campaign;

import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.inventory.persistence.JsonRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    // A poll of secret-rotated is applied with one statement per step for the whole batch, in the order of the
    // single-event path: five statements per poll instead of five per result (each statement costs the inventory a
    // round trip and the reactive stack's work per query). The batch travels as one JSON parameter (JsonRows).
    private static final String BATCH = JsonRows.RECORDSET + " AS e(event_id text,"
            + " rotation_id uuid, credential_id text, version bigint, previous_version bigint, rotated_at timestamptz)";
    private static final String FIRST_TIMES = "INSERT INTO processed_events (event_id) SELECT DISTINCT e.event_id FROM "
            + BATCH + " ON CONFLICT DO NOTHING RETURNING event_id";
    // claims in credential order, as a campaign locks them (InFlightRotations), so that the two wait instead of
    // deadlocking
    private static final String RELEASE_ALL = "DELETE FROM rotations_in_flight r USING (SELECT credential_id"
            + " FROM rotations_in_flight WHERE rotation_id IN (SELECT e.rotation_id FROM " + BATCH + ")"
            + " ORDER BY credential_id FOR UPDATE) mine WHERE r.credential_id = mine.credential_id";
    private static final String ROTATED_ALL = "UPDATE breach_credentials bc SET status = 'ROTATED',"
            + " version = e.version, previous_version = e.previous_version, verified_at = e.rotated_at, reason = NULL,"
            + " updated_at = now() FROM " + BATCH + " WHERE (bc.rotation_id = e.rotation_id"
            + " OR bc.follows_rotation_id = e.rotation_id)"
            + " AND (bc.status <> 'ROTATED' OR bc.version IS DISTINCT FROM e.version) RETURNING e.rotation_id";
    // the newest result of each credential in the batch, as applying them one after the other would leave it; a
    // credential still claimed after the release stays ROTATING (see NOT_CLAIMED)
    private static final String CREDENTIALS_ROTATED = "UPDATE credentials c SET version = n.version,"
            + " last_rotated_at = n.rotated_at, status = CASE WHEN NOT EXISTS (SELECT 1 FROM rotations_in_flight r"
            + " WHERE r.credential_id = c.id) THEN 'ACTIVE' ELSE c.status END FROM (SELECT DISTINCT ON"
            + " (e.credential_id) e.credential_id, e.version, e.rotated_at FROM " + BATCH
            + " ORDER BY e.credential_id, e.version DESC) n WHERE c.id = n.credential_id AND c.version <= n.version";
    private static final String COMPLETE_BREACHES = "UPDATE breaches b SET completed_at = now()"
            + " WHERE b.id IN (SELECT bc.breach_id FROM breach_credentials bc JOIN " + BATCH
            + " ON bc.rotation_id = e.rotation_id OR bc.follows_rotation_id = e.rotation_id)"
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
        AtomicInteger firstTimes = new AtomicInteger();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> firstTimes(session, events)
                        .chain(fresh -> {
                            firstTimes.set(fresh.size());
                            if (fresh.isEmpty()) {
                                return done();
                            }
                            String rows = rows(fresh);
                            return batch(session, RELEASE_ALL, rows).executeUpdate()
                                    .chain(() -> session.createNativeQuery(ROTATED_ALL, UUID.class)
                                            .setParameter("rows", rows).getResultList())
                                    .chain(changed -> batch(session, CREDENTIALS_ROTATED, rows).executeUpdate()
                                            .chain(() -> changed.isEmpty() ? done()
                                                    : batch(session, COMPLETE_BREACHES, rows(fresh, changed))
                                                    .executeUpdate().replaceWithVoid()));
                        })))
                .invoke(() -> metrics.applied(true, firstTimes.get()));
    }

    /** The events of the batch whose ids were not applied before (recorded now), in batch order. */
    private static Uni<List<SecretRotated>> firstTimes(Mutiny.Session session, List<Received<SecretRotated>> events) {
        String ids = JsonRows.encode(events, e -> Map.of("event_id", e.eventId()));
        return session.createNativeQuery(FIRST_TIMES, String.class).setParameter("rows", ids)
                .getResultList().map(inserted -> {
                    Set<String> fresh = new HashSet<>(inserted);
                    List<SecretRotated> first = new ArrayList<>(fresh.size());
                    for (Received<SecretRotated> e : events) {
                        if (fresh.remove(e.eventId())) {
                            first.add(e.event());
                        }
                    }
                    return first;
                });
    }

    private static Mutiny.Query<Object> batch(Mutiny.Session session, String sql, String rows) {
        return session.createNativeQuery(sql).setParameter("rows", rows);
    }

    private static String rows(List<SecretRotated> events) {
        return rows(events, null);
    }

    /** The events as the JSON rows of {@link #BATCH}; only those of {@code rotationIds} unless null. */
    private static String rows(List<SecretRotated> events, List<UUID> rotationIds) {
        Set<UUID> only = rotationIds == null ? null : new HashSet<>(rotationIds);
        List<SecretRotated> selected = only == null ? events
                : events.stream().filter(event -> only.contains(event.rotationId())).toList();
        return JsonRows.encode(selected, event -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rotation_id", event.rotationId());
            row.put("credential_id", event.credentialId());
            row.put("version", event.version());
            row.put("previous_version", event.previousVersion());
            row.put("rotated_at", event.rotatedAt());
            return row;
        });
    }

    /**
     * Records a failed attempt: the campaign row is RETRYING with the reason and attempts; a final one marks it
     * FAILED and the credential ROTATION_FAILED.
     */
    public Uni<Void> failed(String eventId, RotationFailed event) {
        return inOneTransaction(List.of(new Received<>(eventId, event)), RotationResults::applyFailed);
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
    private <E> Uni<Void> inOneTransaction(List<Received<E>> events, Effect<E> effect) {
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
                .invoke(() -> metrics.applied(false, firstTimes.get()));
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
