package dev.rekey.inventory.policy;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Management;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation policy scheduler on its timer (every second here), on a database of its own: what it requests on
 * {@code rekey.rotation-due}, that it requests a period once, and that a backlog reaches the workers in waves of at
 * most {@code max-in-flight}.
 */
@QuarkusTest
@TestProfile(SchedulerTest.SchedulerOn.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = SchedulerTest.DB))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class SchedulerTest {

    static final String DB = "inventory_scheduler";
    private static final int MAX_IN_FLIGHT = 10;

    /** The scheduler on, ticking every second, 4 per tick, 10 in flight. */
    public static class SchedulerOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rekey.scheduler.enabled", "true", "rekey.scheduler.interval", "1s",
                    "rekey.scheduler.batch-size", "4", "rekey.scheduler.max-in-flight", String.valueOf(MAX_IN_FLIGHT));
        }
    }

    /** What earlier tests left (requested, unanswered) neither is due nor holds a slot of the in-flight bound. */
    @BeforeEach
    void everyCredentialSoFarIsFresh() throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB); var s = c.createStatement()) {
            s.executeUpdate("UPDATE credentials SET last_rotated_at = now()");
        }
    }

    @Test
    void overdueAndNeverRotatedCredentialsGetOneScheduledRotationEachAndFreshOrUnrotatableOnesNone()
            throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        // written as they are in one statement: the scheduler, ticking meanwhile, sees no intermediate state
        Instant now = Instant.now();
        String overdue = unique("overdue");
        String never = unique("never");
        String fresh = unique("fresh");
        String rotating = unique("rotating");
        insertCredentials(system, owner, List.of(
                new Seed(overdue, now.minus(91, ChronoUnit.DAYS), "ACTIVE"),
                new Seed(never, null, "ACTIVE"),
                new Seed(fresh, now.minus(89, ChronoUnit.DAYS), "ACTIVE"),
                new Seed(rotating, null, "ROTATING")));
        Set<String> mine = Set.of(overdue, never, fresh, rotating);

        List<RotationDue> due = awaitDue(mine, 2, Duration.ofSeconds(30));
        assertThat(due).extracting(RotationDue::credentialId).containsExactlyInAnyOrder(overdue, never);
        assertThat(due).allSatisfy(d -> {
            assertThat(d.cause().type()).isEqualTo(CauseType.SCHEDULED);
            assertThat(d.terminateSessions()).isFalse();
            assertThat(d.recordKey()).isEqualTo(system);
        });

        // many ticks later, still one each: the period was claimed
        Thread.sleep(4_000);
        assertThat(readDue(mine, Duration.ofSeconds(3))).hasSize(2);
        assertThat(Management.management().get("/q/metrics").asString()).containsPattern("rekey_scheduled_rotations_total(\\{[^}]*})? [1-9]");

        // the worker's answer (cause SCHEDULED) moves last_rotated_at: the new period is not due, nothing more
        for (RotationDue d : due) {
            WorkerEvents.rotated(d, 2);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> countIn(
                "SELECT count(*) FROM credentials WHERE id IN (?, ?) AND last_rotated_at > now() - interval '1 hour'"
                        + " AND version = 2", overdue, never) == 2);
        Thread.sleep(3_000);
        assertThat(readDue(mine, Duration.ofSeconds(3))).hasSize(2);

        // once a credential is past its maximum age again, its new period gets its own request
        rotatedAt(never, Instant.now().minus(100, ChronoUnit.DAYS));
        List<RotationDue> again = awaitDue(mine, 3, Duration.ofSeconds(30));
        assertThat(again).extracting(RotationDue::credentialId).containsOnlyOnce(overdue).contains(never);
        assertThat(again.stream().filter(d -> d.credentialId().equals(never)).map(RotationDue::rotationId)
                .distinct()).hasSize(2);
        // answered, so that it holds no slot for the other test
        again.stream().filter(d -> d.credentialId().equals(never) && due.stream()
                .noneMatch(first -> first.rotationId().equals(d.rotationId()))).forEach(d -> WorkerEvents.rotated(d, 3));
    }

    @Test
    void aBacklogGoesOutInWavesBoundedByMaxInFlight() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        List<String> ids = IntStream.range(0, 25).mapToObj(i -> unique("wave")).toList();
        ids.forEach(id -> credential(id, system, owner, List.of(), List.of()));
        Set<String> mine = Set.copyOf(ids);

        List<RotationDue> first = awaitDue(mine, MAX_IN_FLIGHT, Duration.ofSeconds(30));
        Thread.sleep(4_000); // four more ticks: nothing while ten are in flight
        List<RotationDue> stillFirst = readDue(mine, Duration.ofSeconds(3));
        assertThat(stillFirst).hasSize(MAX_IN_FLIGHT);

        // results free the slots: the next wave, again bounded
        first.forEach(d -> WorkerEvents.rotated(d, 2));
        List<RotationDue> two = awaitDue(mine, 2 * MAX_IN_FLIGHT, Duration.ofSeconds(30));
        Thread.sleep(3_000);
        assertThat(readDue(mine, Duration.ofSeconds(3))).hasSize(2 * MAX_IN_FLIGHT);
        // a final failure frees its slot too (the credential keeps its period: no new request for it)
        two.stream().skip(MAX_IN_FLIGHT).forEach(d -> WorkerEvents.failed(d, 3, true));
        List<RotationDue> all = awaitDue(mine, ids.size(), Duration.ofSeconds(30));
        Thread.sleep(3_000);
        all = readDue(mine, Duration.ofSeconds(3));
        assertThat(all).hasSize(ids.size());
        assertThat(all.stream().map(RotationDue::credentialId).collect(Collectors.toSet())).isEqualTo(mine);
    }

    @Test
    void aCredentialThatAnotherRotationIsRotatingWaitsAndAScheduledRotationClaimsItsCredential() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String busy = unique("busy");
        insertCredentials(system, owner, List.of(new Seed(busy, null, "ROTATING")));
        // in one transaction: due from now on, but a manual rotation holds the credential
        try (Connection c = SharedStack.postgres().connect(DB)) {
            c.setAutoCommit(false);
            try (PreparedStatement claim = c.prepareStatement("INSERT INTO rotations_in_flight (credential_id,"
                    + " rotation_id, cause, requested_at) VALUES (?, gen_random_uuid(), 'MANUAL', now())");
                 PreparedStatement active = c.prepareStatement("UPDATE credentials SET status = 'ACTIVE' WHERE id = ?")) {
                claim.setString(1, busy);
                claim.executeUpdate();
                active.setString(1, busy);
                active.executeUpdate();
            }
            c.commit();
        }
        Thread.sleep(4_000); // four ticks
        assertThat(readDue(Set.of(busy), Duration.ofSeconds(2))).isEmpty();

        // the manual rotation's result releases the credential: now the scheduler requests it, and claims it
        assertThat(countIn("SELECT count(*) FROM rotations_in_flight WHERE credential_id = ?", busy)).isEqualTo(1);
        try (Connection c = SharedStack.postgres().connect(DB);
             PreparedStatement release = c.prepareStatement("DELETE FROM rotations_in_flight WHERE credential_id = ?")) {
            release.setString(1, busy);
            release.executeUpdate();
        }
        List<RotationDue> due = awaitDue(Set.of(busy), 1, Duration.ofSeconds(30));
        assertThat(countIn("SELECT count(*) FROM rotations_in_flight WHERE credential_id = ? AND cause = 'SCHEDULED'"
                + " AND rotation_id = CAST(? AS uuid)", busy, due.get(0).rotationId().toString())).isEqualTo(1);
        // answered, so that it holds no slot for the other tests
        WorkerEvents.rotated(due.get(0), 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> countIn(
                "SELECT count(*) FROM rotations_in_flight WHERE credential_id = ?", busy) == 0);
    }

    private static List<RotationDue> awaitDue(Set<String> credentials, int expected, Duration timeout) {
        List<RotationDue> found = readDue(credentials, expected, timeout);
        assertThat(found).as("rotation-due records of %s", credentials).hasSizeGreaterThanOrEqualTo(expected);
        return found;
    }

    private static List<RotationDue> readDue(Set<String> credentials, Duration timeout) {
        return readDue(credentials, Integer.MAX_VALUE, timeout);
    }

    private static List<RotationDue> readDue(Set<String> credentials, int expected, Duration timeout) {
        return KafkaRecords.read(Topics.ROTATION_DUE, r -> credentials.contains(KafkaRecords.header(r, "ce_subject")),
                expected, timeout).stream().map(ConsumerRecord::value)
                .map(v -> EventJson.decode(v, RotationDue.class)).toList();
    }

    private record Seed(String id, Instant lastRotatedAt, String status) {
    }

    private static void insertCredentials(String system, String owner, List<Seed> seeds) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO credentials (id, name, kind, vault_mount, vault_path,"
                + " username, system_id, owner_id, last_rotated_at, status) VALUES ");
        for (int i = 0; i < seeds.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, 'postgresql-role', 'secret', ?, ?, ?, ?, ?, ?)");
        }
        try (Connection c = SharedStack.postgres().connect(DB); PreparedStatement s = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Seed seed : seeds) {
                s.setString(p++, seed.id());
                s.setString(p++, seed.id());
                s.setString(p++, "apps/" + seed.id());
                s.setString(p++, "u_" + seed.id().replace('-', '_'));
                s.setString(p++, system);
                s.setString(p++, owner);
                s.setTimestamp(p++, seed.lastRotatedAt() == null ? null : Timestamp.from(seed.lastRotatedAt()));
                s.setString(p++, seed.status());
            }
            assertThat(s.executeUpdate()).isEqualTo(seeds.size());
        }
    }

    private static void rotatedAt(String id, Instant at) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB);
             PreparedStatement s = c.prepareStatement("UPDATE credentials SET last_rotated_at = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static long countIn(String sql, String... params) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DB); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
