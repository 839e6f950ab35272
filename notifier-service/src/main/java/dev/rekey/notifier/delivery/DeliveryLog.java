package dev.rekey.notifier.delivery;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The durable delivery log in PostgreSQL. A message is enqueued in the transaction of the event that causes it and
 * sent later, so a crash between the commit and the send loses nothing; {@code UNIQUE (event_key, audience,
 * channel)} makes "once" hold under redelivery. Each attempt's result is written in its own statement right after
 * the send returns, which keeps the window between the receiver's acceptance and the record as small as it can be.
 */
@ApplicationScoped
public class DeliveryLog {

    private static final String ENQUEUE = """
            INSERT INTO deliveries (id, event_key, audience, channel, kind, breach_id, destination,
                                    signing_secret_path, subject, body, html, event_at, status, last_error,
                                    traceparent)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT ON CONSTRAINT deliveries_once DO NOTHING""";

    // A claim belongs to an instance; rows claimed by an instance that stopped beating are free again. A breach
    // digest waits while the alert of the same breach, audience and channel is still pending, so it never comes first.
    private static final String CLAIM = """
            WITH due AS (
              SELECT d.id FROM deliveries d
              WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
                AND (d.claimed_by IS NULL OR NOT EXISTS (
                  SELECT 1 FROM notifier_instances i
                  WHERE i.id = d.claimed_by AND i.heartbeat_at > now() - make_interval(secs => $3)))
                AND (d.kind <> 'breach-digest' OR NOT EXISTS (
                  SELECT 1 FROM deliveries a
                  WHERE a.breach_id = d.breach_id AND a.audience = d.audience AND a.channel = d.channel
                    AND a.kind = 'breach-alert' AND a.status = 'PENDING'))
              ORDER BY d.next_attempt_at
              LIMIT $2
              FOR UPDATE OF d SKIP LOCKED)
            UPDATE deliveries SET claimed_by = $1 FROM due WHERE deliveries.id = due.id
            RETURNING deliveries.id, deliveries.event_key, deliveries.audience, deliveries.channel, deliveries.kind,
                      deliveries.destination, deliveries.signing_secret_path, deliveries.subject, deliveries.body,
                      deliveries.html, deliveries.event_at, deliveries.attempts, deliveries.traceparent""";

    private static final String MARK_SENT = """
            UPDATE deliveries SET status = 'SENT', sent_at = now(), attempts = attempts + 1, claimed_by = NULL,
                   last_error = NULL
            WHERE id = $1 AND status = 'PENDING'""";

    private static final String MARK_FAILED_ATTEMPT = """
            UPDATE deliveries SET status = $2, attempts = attempts + 1, last_error = $3, claimed_by = NULL,
                   next_attempt_at = now() + make_interval(secs => $4)
            WHERE id = $1 AND status = 'PENDING'""";

    private static final String RELEASE = "UPDATE deliveries SET claimed_by = NULL WHERE claimed_by = $1 AND status = 'PENDING'";

    private static final String RETRY_QUEUE = "SELECT count(*) FROM deliveries WHERE status = 'PENDING' AND attempts > 0";

    private final Pool pool;

    DeliveryLog(Pool pool) {
        this.pool = pool;
    }

    /** Adds the messages that are not in the log yet, inside the caller's transaction; the number added. */
    public Uni<Integer> enqueue(SqlConnection db, List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> rows = new ArrayList<>(deliveries.size());
        for (NewDelivery d : deliveries) {
            rows.add(Tuple.from(Arrays.asList(UUID.randomUUID(), d.eventKey(), d.audience(), d.channel().label(),
                    d.kind(), d.breachId(), d.destination(), d.signingSecretPath(), d.content().subject(),
                    d.content().body(), d.content().html(), OffsetDateTime.ofInstant(d.eventAt(), ZoneOffset.UTC),
                    d.undeliverable() == null ? "PENDING" : "FAILED", d.undeliverable(), d.traceparent())));
        }
        return db.preparedQuery(ENQUEUE).executeBatch(rows).map(DeliveryLog::rowCountOfBatch);
    }

    /** Claims up to {@code limit} due deliveries for {@code instance}, in one statement. */
    public Uni<List<OutgoingMessage>> claimDue(UUID instance, int limit, Duration claimTimeout) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(instance, limit, seconds(claimTimeout))).map(rows -> {
            List<OutgoingMessage> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new OutgoingMessage(row.getUUID("id"), row.getString("event_key"),
                        row.getString("audience"), Channel.of(row.getString("channel")), row.getString("kind"),
                        row.getString("destination"), row.getString("signing_secret_path"), row.getString("subject"),
                        row.getString("body"), row.getString("html"), row.getOffsetDateTime("event_at").toInstant(),
                        row.getInteger("attempts"), row.getString("traceparent")));
            }
            return claimed;
        });
    }

    public Uni<Void> markSent(OutgoingMessage message) {
        return pool.preparedQuery(MARK_SENT).execute(Tuple.of(message.id())).replaceWithVoid();
    }

    /** Records a failed attempt: due again after the backoff, or FAILED for good. */
    public Uni<Void> markFailed(OutgoingMessage message, String error, boolean giveUp, Duration backoff) {
        return pool.preparedQuery(MARK_FAILED_ATTEMPT).execute(Tuple.of(message.id(), giveUp ? "FAILED" : "PENDING",
                error, seconds(backoff))).replaceWithVoid();
    }

    /** Frees this instance's claims, on a clean shutdown. */
    public Uni<Void> release(UUID instance) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(instance)).replaceWithVoid();
    }

    /** Deliveries waiting for another attempt after a failed one. */
    public Uni<Long> retryQueue() {
        return pool.query(RETRY_QUEUE).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static int rowCountOfBatch(io.vertx.mutiny.sqlclient.RowSet<Row> result) {
        int count = 0;
        for (var set = result; set != null; set = set.next()) {
            count += set.rowCount();
        }
        return count;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
