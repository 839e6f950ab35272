package dev.rekey.inventory;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.PackagedInventory;
import dev.rekey.inventory.support.KafkaRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged inventory instances on one database (child JVMs on the devstack's PostgreSQL and Kafka), both
 * running the outbox relay and the rotation policy scheduler: one key's outbox rows reach Kafka in order although
 * two relays drain at once and one is killed mid-relay; the scheduler requests every due credential exactly once
 * although both run it and both are restarted. Runs after the package phase ({@code *InstancesIT}, failsafe).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInventoryInstancesIT {

    private static final String DB = "inventory_instances";
    private static final String TOPIC = "rekey.test.relay-order";
    private static final Map<String, String> ENV = Map.of(
            // small batches polled often: the two relays take turns many times over one key's rows
            "REKEY_OUTBOX_BATCH_SIZE", "20",
            "REKEY_OUTBOX_POLL_INTERVAL", "100ms",
            "REKEY_SCHEDULER_INTERVAL", "1s",
            "REKEY_SCHEDULER_BATCH_SIZE", "50",
            "REKEY_SCHEDULER_MAX_IN_FLIGHT", "1000");

    private static PackagedInventory a;
    private static PackagedInventory b;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        SharedStack.postgres().recreateDatabase(DB);
        a = PackagedInventory.start(DB, ENV);
        b = PackagedInventory.start(DB, ENV);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (PackagedInventory instance : java.util.Arrays.asList(a, b)) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    @Order(1)
    void oneKeysRowsReachKafkaInOrderWithTwoRelaysAndARelayKilledMidway() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = IntStream.range(0, 6).mapToObj(i -> "key-" + run + "-" + i).toList();
        int perKey = 300;
        // written while both relays drain, in transactions of a few rows of every key
        write(keys, 0, perKey);
        awaitOutboxBelow(keys, perKey * keys.size() / 2 + 1, Duration.ofSeconds(60));
        write(keys, perKey, 2 * perKey);
        // kill -9 one relay while rows are still pending, and start it again
        awaitOutboxBelow(keys, perKey * keys.size() * 3 / 2, Duration.ofSeconds(60));
        long pendingAtKill = pending(keys);
        a.kill();
        System.out.printf("relay order: killed inventory-a with %d rows pending%n", pendingAtKill);
        write(keys, 2 * perKey, 3 * perKey);
        a = PackagedInventory.start(DB, ENV);
        awaitOutboxBelow(keys, 1, Duration.ofSeconds(120));

        int total = keys.size() * 3 * perKey;
        Set<String> mine = Set.copyOf(keys);
        List<ConsumerRecord<String, String>> records = KafkaRecords.read(TOPIC, r -> mine.contains(r.key()),
                Integer.MAX_VALUE, Duration.ofSeconds(15));
        // per key in topic order, a resend (same ce_id) dropped as every consumer drops it
        Map<String, List<Integer>> seen = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        int resent = 0;
        for (ConsumerRecord<String, String> r : records) {
            if (!ids.add(KafkaRecords.header(r, "ce_id"))) {
                resent++;
                continue;
            }
            seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(r.value()));
        }
        System.out.printf("relay order: %d rows of %d keys through two relays, %d records, %d resent%n", total,
                keys.size(), records.size(), resent);
        for (String key : keys) {
            assertThat(seen.get(key)).as("the rows of %s, in order, none lost", key)
                    .containsExactlyElementsOf(IntStream.range(0, 3 * perKey).boxed().toList());
        }
    }

    @Test
    @Order(2)
    void twoSchedulersRequestEachDueCredentialExactlyOnceAcrossRestarts() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "due-" + run + "-" + i).toList();
        seedDueCredentials(run, ids);
        Set<String> mine = Set.copyOf(ids);

        List<RotationDue> due = readDue(mine, ids.size(), Duration.ofSeconds(60));
        assertThat(due).hasSize(ids.size());
        // both instances keep ticking: nothing more for the same period
        Thread.sleep(4_000);
        b.kill();
        b = PackagedInventory.start(DB, ENV);
        a.close();
        a = PackagedInventory.start(DB, ENV);
        Thread.sleep(4_000);
        due = readDue(mine, Integer.MAX_VALUE, Duration.ofSeconds(5));
        System.out.printf("scheduler: %d due credentials, %d rotation-due records, %d distinct credentials,"
                        + " after both instances were restarted%n", ids.size(), due.size(),
                due.stream().map(RotationDue::credentialId).distinct().count());
        assertThat(due).hasSize(ids.size());
        assertThat(due.stream().map(RotationDue::credentialId).collect(Collectors.toSet())).isEqualTo(mine);
        assertThat(due.stream().map(RotationDue::rotationId).distinct()).hasSize(ids.size());
    }

    private static List<RotationDue> readDue(Set<String> credentials, int expected, Duration timeout) {
        return KafkaRecords.read(Topics.ROTATION_DUE, r -> credentials.contains(KafkaRecords.header(r, "ce_subject")),
                expected, timeout).stream().map(r -> EventJson.decode(r.value(), RotationDue.class)).toList();
    }

    /** Rows {@code from..to-1} of every key, ten per key per transaction, the number as the payload. */
    private static void write(List<String> keys, int from, int to) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, created_at)"
                        + " VALUES (?, 'test', ?, 'dev.rekey.test.v1', ?, ?, clock_timestamp())")) {
            c.setAutoCommit(false);
            for (int n = from; n < to; n += 10) {
                for (String key : keys) {
                    for (int i = n; i < Math.min(n + 10, to); i++) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, key);
                        insert.setString(3, TOPIC);
                        insert.setString(4, String.valueOf(i));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
        }
    }

    private static long pending(List<String> keys) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB);
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM outbox WHERE aggregateid = ANY(?)")) {
            count.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void awaitOutboxBelow(List<String> keys, long bound, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending(keys) >= bound) {
            assertThat(System.nanoTime()).as("outbox of %s below %d within %s", keys, bound, timeout)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void seedDueCredentials(String run, List<String> ids) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB)) {
            c.setAutoCommit(false);
            try (PreparedStatement owner = c.prepareStatement(
                    "INSERT INTO owners (id, name, email) VALUES (?, 'Team', 'team@example.com')");
                 PreparedStatement system = c.prepareStatement("INSERT INTO systems (id, type, host, port,"
                         + " admin_secret_path) VALUES (?, 'postgresql', 'db.internal', 5432, 'secret/admin')");
                 PreparedStatement credential = c.prepareStatement("INSERT INTO credentials (id, name, kind,"
                         + " vault_mount, vault_path, username, system_id, owner_id, last_rotated_at)"
                         + " VALUES (?, ?, 'postgresql-role', 'secret', ?, ?, ?, ?,"
                         + " CASE WHEN ? THEN NULL ELSE now() - interval '120 days' END)")) {
                owner.setString(1, "team-" + run);
                owner.executeUpdate();
                for (int s = 0; s < 4; s++) {
                    system.setString(1, "pg-" + run + "-" + s);
                    system.addBatch();
                }
                system.executeBatch();
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    credential.setString(1, id);
                    credential.setString(2, id);
                    credential.setString(3, "apps/" + id);
                    credential.setString(4, id.replace('-', '_'));
                    credential.setString(5, "pg-" + run + "-" + (i % 4));
                    credential.setString(6, "team-" + run);
                    credential.setBoolean(7, i % 2 == 0); // half never rotated, half overdue
                    credential.addBatch();
                }
                credential.executeBatch();
            }
            c.commit();
        }
    }
}
