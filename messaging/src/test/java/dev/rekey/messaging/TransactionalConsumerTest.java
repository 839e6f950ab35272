package dev.rekey.messaging;

import dev.rekey.devstack.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerRef;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The idiom against a real PostgreSQL that goes away and comes back (its own embedded server, stopped and started on
 * the same port and data directory), and against statements that fail until a flag flips.
 */
class TransactionalConsumerTest {

    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 3);

    @TempDir
    static Path dataDir;
    private static int port;
    private static EmbeddedPostgres postgres;
    private static Vertx vertx;
    private static Pool pool;

    private final TransactionalConsumer consumer = new TransactionalConsumer("test", FAST);

    @BeforeAll
    static void start() throws Exception {
        port = Ports.free();
        postgres = startPostgres();
        try (Connection db = connect(); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE applied (id text PRIMARY KEY, owner text NOT NULL)");
            // fails while the flag is up: a statement that fails for a reason other than the database being away
            s.execute("CREATE TABLE flags (name text PRIMARY KEY, up boolean NOT NULL)");
            s.execute("""
                    CREATE FUNCTION refuse_while_flagged() RETURNS trigger AS $$
                    BEGIN
                      IF EXISTS (SELECT 1 FROM flags WHERE name = NEW.owner AND up) THEN
                        RAISE EXCEPTION 'refused while flagged';
                      END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            s.execute("CREATE TRIGGER refuse BEFORE INSERT ON applied FOR EACH ROW EXECUTE FUNCTION refuse_while_flagged()");
        }
        vertx = Vertx.vertx();
        pool = Pool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase("postgres")
                .setUser("postgres").setConnectTimeout(1000),
                new PoolOptions().setMaxSize(4));
    }

    @AfterAll
    static void stop() throws Exception {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        postgres.close();
    }

    @Test
    void aRecordArrivingWhileTheDatabaseIsDownIsAppliedOnceItIsBackAndAckedOnlyAfterTheCommit() throws Exception {
        TestRecord record = new TestRecord(event("down"));
        postgres.close();
        postgres = null;
        try {
            CompletableFuture<Void> done = onAContext(() -> consumer.consume(record.message, () -> apply(record.message)));
            // far longer than the bounded retries of other failures would last: a database that is away is waited for
            Thread.sleep(3_000);
            assertThat(record.acked).isFalse();
            assertThat(record.nacked).isEmpty();
            postgres = startPostgres();
            done.get(60, TimeUnit.SECONDS);
        } finally {
            if (postgres == null) {
                postgres = startPostgres();
            }
        }
        assertThat(record.acked).isTrue();
        assertThat(record.nacked).isEmpty();
        assertThat(rows("down")).isEqualTo(1);
    }

    @Test
    void aMalformedRecordIsDeadLetteredAtOnceWithAReasonThatDoesNotQuoteIt() throws Exception {
        TestRecord record = new TestRecord("{\"ownerId\": \"x\", \"token\": \"s3cr3t-value\"");
        AtomicInteger transactions = new AtomicInteger();
        onAContext(() -> consumer.consume(record.message, () -> {
            transactions.incrementAndGet();
            return apply(record.message);
        })).get(30, TimeUnit.SECONDS);

        assertThat(record.acked).isFalse();
        assertThat(record.nacked).hasSize(1);
        assertThat(record.nacked.get(0).getMessage()).contains("OwnerRef").doesNotContain("s3cr3t-value");
        assertThat(transactions).hasValue(1); // decoding is part of the transaction's first and only attempt
    }

    @Test
    void aStatementThatFailsUntilAFlagFlipsIsRetriedAndAppliedOnce() throws Exception {
        TestRecord record = new TestRecord(event("flagged"));
        flag("flagged", true);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> done = onAContext(() -> consumer.consume(record.message, () -> {
            if (attempts.incrementAndGet() == 2) {
                flagQuietly("flagged", false); // the second attempt finds the cause gone
            }
            return apply(record.message);
        }));
        done.get(30, TimeUnit.SECONDS);

        assertThat(attempts).hasValue(2);
        assertThat(record.acked).isTrue();
        assertThat(rows("flagged")).isEqualTo(1);
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterTheBoundedAttemptsWithoutTheDriversMessage() throws Exception {
        TestRecord record = new TestRecord(event("stuck"));
        flag("stuck", true);
        AtomicInteger attempts = new AtomicInteger();
        onAContext(() -> consumer.consume(record.message, () -> {
            attempts.incrementAndGet();
            return apply(record.message);
        })).get(30, TimeUnit.SECONDS);

        assertThat(attempts).hasValue(FAST.attempts());
        assertThat(record.acked).isFalse();
        assertThat(record.nacked).singleElement().satisfies(reason -> assertThat(reason.getMessage())
                .contains("gave up after 3 attempts", "SQL state P0001").doesNotContain("refused while flagged"));
        assertThat(rows("stuck")).isZero();
    }

    @Test
    void everyAttemptRunsOnTheRecordsVertxContext() throws Exception {
        TestRecord record = new TestRecord(event("context"));
        flag("context", true);
        List<Context> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Context> recordContext = new CompletableFuture<>();
        Context context = vertx.getDelegate().getOrCreateContext();
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            recordContext.complete(io.vertx.core.Vertx.currentContext());
            consumer.consume(record.message, () -> {
                seen.add(io.vertx.core.Vertx.currentContext());
                if (seen.size() == 2) {
                    flagQuietly("context", false);
                }
                return apply(record.message);
            }).subscribe().with(done::complete, done::completeExceptionally);
        });
        done.get(30, TimeUnit.SECONDS);

        assertThat(seen).hasSize(2).allMatch(c -> c == recordContext.join());
    }

    @Test
    void aBatchIsOneTransactionAndItsMalformedRecordsAreDeadLetteredAlone() throws Exception {
        String owner = "batch-" + UUID.randomUUID();
        TestRecord good1 = new TestRecord(event(owner + "-1"));
        TestRecord poison = new TestRecord("not json at all");
        TestRecord good2 = new TestRecord(event(owner + "-2"));
        TestBatch batch = new TestBatch(good1, poison, good2);
        AtomicInteger transactions = new AtomicInteger();

        onAContext(() -> consumer.consumeBatch(batch.message, r -> EventJson.decode((String) r.getPayload(), OwnerRef.class),
                events -> {
                    transactions.incrementAndGet();
                    return applyAll(events);
                })).get(30, TimeUnit.SECONDS);

        assertThat(transactions).hasValue(1);
        assertThat(poison.nacked).hasSize(1);
        assertThat(good1.nacked).isEmpty();
        assertThat(batch.acked).isTrue();
        assertThat(rows(owner + "-1") + rows(owner + "-2")).isEqualTo(2);
    }

    @Test
    void aBatchWithARecordThatFailsForGoodIsAppliedRecordByRecordAndOnlyThatOneIsDeadLettered() throws Exception {
        String owner = "split-" + UUID.randomUUID();
        TestRecord good1 = new TestRecord(event(owner + "-1"));
        TestRecord bad = new TestRecord(event(owner + "-bad"));
        TestRecord good2 = new TestRecord(event(owner + "-2"));
        flag(owner + "-bad", true);
        TestBatch batch = new TestBatch(good1, bad, good2);

        onAContext(() -> consumer.consumeBatch(batch.message, r -> EventJson.decode((String) r.getPayload(), OwnerRef.class),
                TransactionalConsumerTest::applyAll)).get(60, TimeUnit.SECONDS);

        assertThat(bad.nacked).hasSize(1);
        assertThat(good1.nacked).isEmpty();
        assertThat(good2.nacked).isEmpty();
        assertThat(batch.acked).isTrue();
        assertThat(rows(owner + "-1")).isEqualTo(1);
        assertThat(rows(owner + "-2")).isEqualTo(1);
        assertThat(rows(owner + "-bad")).isZero();
    }

    /** zonky's own server (trust on loopback), restartable on the same port and data directory. */
    private static EmbeddedPostgres startPostgres() throws Exception {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static Connection connect() throws Exception {
        return postgres.getPostgresDatabase().getConnection();
    }

    // --- the transaction under test: decode and insert, idempotently

    private static Uni<Void> apply(Message<?> record) {
        OwnerRef owner = EventJson.decode((String) record.getPayload(), OwnerRef.class);
        return applyAll(List.of(owner));
    }

    private static Uni<Void> applyAll(List<OwnerRef> owners) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("INSERT INTO applied (id, owner) VALUES ($1, $1) ON CONFLICT DO NOTHING")
                .executeBatch(owners.stream().map(o -> Tuple.of(o.ownerId())).toList())).replaceWithVoid();
    }

    private static String event(String id) {
        return EventJson.encode(new OwnerRef(id, id + "@example.test"));
    }

    private static long rows(String id) throws Exception {
        try (Connection db = connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM applied WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void flag(String name, boolean up) throws Exception {
        try (Connection db = connect(); Statement s = db.createStatement()) {
            s.execute("INSERT INTO flags VALUES ('" + name + "', " + up + ") ON CONFLICT (name) DO UPDATE SET up = " + up);
        }
    }

    private static void flagQuietly(String name, boolean up) {
        try {
            flag(name, up);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<Void> onAContext(Supplier<Uni<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.getDelegate().getOrCreateContext().runOnContext(ignored ->
                work.get().subscribe().with(done::complete, done::completeExceptionally));
        return done;
    }

    /** A record whose acknowledgement the test observes. */
    private static final class TestRecord {
        final Message<String> message;
        volatile boolean acked;
        final List<Throwable> nacked = new CopyOnWriteArrayList<>();

        TestRecord(String payload) {
            message = Message.of(payload)
                    .withAck(() -> {
                        acked = true;
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(reason -> {
                        nacked.add(reason);
                        return CompletableFuture.completedFuture(null);
                    });
        }
    }

    /** A batch of records as the Kafka connector hands it over. */
    private static final class TestBatch {
        final Message<List<String>> message;
        volatile boolean acked;

        TestBatch(TestRecord... records) {
            List<Message<?>> messages = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (TestRecord r : records) {
                messages.add(r.message);
                payloads.add(r.message.getPayload());
            }
            IncomingKafkaRecordBatchMetadata<String, String> metadata = new IncomingKafkaRecordBatchMetadata<>(
                    ConsumerRecords.empty(), messages, "test", -1, Map.of(), -1);
            message = Message.of(payloads).addMetadata(metadata).withAck(() -> {
                acked = true;
                return CompletableFuture.completedFuture(null);
            });
        }
    }
}
