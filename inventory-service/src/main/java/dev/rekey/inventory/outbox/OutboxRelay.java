package dev.rekey.inventory.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends outbox rows to Kafka and deletes them once the broker has acknowledged them (at-least-once: a crash
 * between the ack and the delete resends the same ids, consumers dedupe by CloudEvents id). A batch that is not
 * fully acknowledged rolls back and stays for the next drain: nothing is lost while Kafka is down.
 *
 * <p>Per-key order with several instances: each row has a bucket derived from its record key (V24, 64 buckets). A
 * batch transaction first takes {@code pg_try_advisory_xact_lock} on every non-empty bucket it can get, then sends
 * the oldest rows of those buckets in insertion order ({@code seq}). A bucket is thus drained by one relay at a time,
 * and the next relay to take it starts after the previous one's rows were acknowledged and deleted (the lock is
 * released at commit). The rows are also locked {@code FOR UPDATE}: a relay whose snapshot still shows rows that
 * another one just deleted skips them instead of sending them again.
 */
@ApplicationScoped
public class OutboxRelay {

    /** The outgoing channel; each message names its own topic. */
    public static final String CHANNEL = "outbox-out";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** The first key of the two-key advisory locks of the outbox buckets (the second is the bucket). */
    static final int BUCKET_LOCKS = 0x0B0C;
    private static final String CLAIM = "WITH mine AS MATERIALIZED (SELECT bucket FROM (SELECT DISTINCT bucket"
            + " FROM outbox) present WHERE pg_try_advisory_xact_lock(" + BUCKET_LOCKS + ", present.bucket))"
            + " SELECT id, aggregateid, record_key, type, topic, payload, traceparent FROM outbox"
            + " WHERE bucket IN (SELECT bucket FROM mine) ORDER BY seq LIMIT $1 FOR UPDATE OF outbox";
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY($1)";

    @Inject
    Pool pool;

    @Inject
    OutboxConfig config;

    // bounded by the batch size: a batch is sent only after the previous one was acknowledged
    @Inject
    @Channel(CHANNEL)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<String> emitter;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Drains the outbox in the background, now or right after the drain in progress; never blocks the caller. */
    public void drainSoon() {
        requested.set(true);
        if (draining.compareAndSet(false, true)) {
            drain();
        }
    }

    // not while starting: the emitter is connected to its channel only once Reactive Messaging is up
    @Scheduled(every = "${rekey.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void drainOnTimer() {
        drainSoon();
    }

    private void drain() {
        requested.set(false);
        long start = System.nanoTime();
        drainFrom(0).subscribe().with(sent -> finished(sent, start, null), failure -> finished(0, start, failure));
    }

    private void finished(long sent, long start, Throwable failure) {
        if (failure != null) {
            LOG.warnf("outbox relay stopped, unsent rows stay for the next drain: %s", failure.toString());
        } else if (sent > 0) {
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            LOG.infof("relayed %d outbox rows in %d ms (%d rows/s)", sent, millis, sent * 1000 / millis);
        }
        draining.set(false);
        // a failed drain waits for the timer instead of spinning against a broker that is down
        if (failure == null && requested.get() && draining.compareAndSet(false, true)) {
            drain();
        }
    }

    private Uni<Long> drainFrom(long sentSoFar) {
        return relayBatch().chain(sent -> sent < config.batchSize()
                ? Uni.createFrom().item(sentSoFar + sent)
                : drainFrom(sentSoFar + sent));
    }

    /** Claims, sends and deletes one batch in one transaction; returns how many rows it relayed. */
    Uni<Integer> relayBatch() {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize()))
                // building and sending a batch is CPU work: keep it off the event loop that serves HTTP
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(rows -> {
                    List<Message<String>> messages = new ArrayList<>(rows.size());
                    List<UUID> ids = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        ids.add(row.getUUID("id"));
                        messages.add(toMessage(row));
                    }
                    return ids.isEmpty() ? Uni.createFrom().item(0) : sendAndDelete(connection, messages, ids);
                }));
    }

    private Uni<Integer> sendAndDelete(SqlConnection connection, List<Message<String>> messages, List<UUID> ids) {
        List<Uni<Void>> acks = messages.stream().map(emitter::sendMessage).toList();
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(config.sendTimeout()).fail()
                .chain(() -> connection.preparedQuery(DELETE).execute(Tuple.of(ids.toArray(UUID[]::new))))
                .map(deleted -> ids.size());
    }

    private static Message<String> toMessage(Row row) {
        String aggregateId = row.getString("aggregateid");
        String key = row.getString("record_key") != null ? row.getString("record_key") : aggregateId;
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(row.getUUID("id").toString())
                .withType(row.getString("type"))
                .withSubject(aggregateId)
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.getString("topic"))
                .withKey(key)
                .build();
        // a null payload is a tombstone: the record's value stays null
        return Message.of(row.getString("payload"), traced(row, Metadata.of(cloudEvent, kafka)));
    }

    /** Sent as part of the trace the row was written in: the record's {@code traceparent} header follows from it. */
    private static Metadata traced(Row row, Metadata metadata) {
        String traceparent = row.getString("traceparent");
        return traceparent == null ? metadata : metadata.with(OutboxTracing.parent(traceparent));
    }
}
