package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** A credential is never rotated twice at once: overlapping campaigns and manual rotations share one rotation. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CrossCampaignTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    /** How long to look for a record that must not exist. */
    private static final Duration ABSENCE_WAIT = Duration.ofSeconds(4);
    private static final String PROBLEM = "application/problem+json";

    @Test
    void overlappingBreachesRotateTheSharedCredentialOnceAndBothCompleteAfterOneResult() {
        String team = owner(unique("team"));
        String pg = system(unique("pg"));
        String shared = credential(unique("shared"), pg, team, List.of(), List.of());
        String onlyFirst = credential(unique("first"), pg, team, List.of(), List.of());
        String first = breach(shared, onlyFirst);
        String second = breach(shared);

        List<RotationDue> sharedDue = due(shared, 2, ABSENCE_WAIT);
        assertThat(sharedDue).as("one rotation-due for the shared credential").hasSize(1);
        assertThat(sharedDue.get(0).cause().breachId()).hasToString(first);
        as(Tokens.auditor()).get("/api/v1/breaches/" + second + "/credentials").then()
                .body("items[0].credentialId", equalTo(shared), "items[0].joined", equalTo(true),
                        "items[0].rotationId", equalTo(sharedDue.get(0).rotationId().toString()),
                        "items[0].status", equalTo("PENDING"));

        WorkerEvents.rotated(sharedDue.get(0), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(second)
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(1), "pending", equalTo(0)));
        breachView(first).body("status", equalTo("RUNNING"), "rotated", equalTo(1), "pending", equalTo(1));
        WorkerEvents.rotated(due(onlyFirst, 1, KAFKA_WAIT).get(0), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(first)
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(2)));
        as(Tokens.auditor()).get("/api/v1/breaches/" + second + "/credentials").then()
                .body("items[0].status", equalTo("ROTATED"), "items[0].version", equalTo(2));

        // released: the next breach of it rotates it again
        String third = breach(shared);
        assertThat(due(shared, 2, KAFKA_WAIT)).extracting(d -> d.cause().breachId().toString())
                .containsExactly(first, third);
    }

    @Test
    void breachReportedCountsForEachOwnerOnlyTheCredentialsTheCampaignRotatesItself() {
        // the notifier's digest of a campaign waits for that many results naming the campaign: a joined credential's
        // result names the rotation it joined, so counting it would hold the owner's digest back for ever
        String team = owner(unique("team"));
        String pg = system(unique("pg"));
        String shared = credential(unique("shared"), pg, team, List.of(), List.of());
        String own = credential(unique("own"), pg, team, List.of(), List.of());
        breach(shared);
        String second = breach(shared, own);
        String allJoined = breach(shared);

        assertThat(reported(second).path("credentialCount").asInt()).isEqualTo(2);
        assertThat(reported(second).path("owners")).hasSize(1);
        assertThat(reported(second).path("owners").get(0).path("ownerId").asText()).isEqualTo(team);
        assertThat(reported(second).path("owners").get(0).path("count").asInt()).isEqualTo(1);
        assertThat(reported(allJoined).path("owners")).isEmpty();
    }

    private static com.fasterxml.jackson.databind.JsonNode reported(String breachId) {
        List<ConsumerRecord<String, String>> records = KafkaRecords.read(Topics.BREACH_REPORTED,
                r -> breachId.equals(r.key()), 1, KAFKA_WAIT);
        assertThat(records).as("breach-reported of " + breachId).hasSize(1);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.get(0).value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJoinedRowFollowsTheFailuresOfTheRotationItJoined() {
        String team = owner(unique("team"));
        String shared = credential(unique("shared"), system(unique("pg")), team, List.of(), List.of());
        String first = breach(shared);
        String second = breach(shared);
        RotationDue due = due(shared, 1, KAFKA_WAIT).get(0);

        WorkerEvents.failed(due, 1, false, "downstream unreachable");
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(second).body("retrying", equalTo(1)));
        WorkerEvents.failed(due, 2, true, "gave up");
        for (String breach : List.of(first, second)) {
            await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach)
                    .body("status", equalTo("COMPLETED"), "failed", equalTo(1)));
        }
        assertThat(Database.count("SELECT count(*) FROM rotations_in_flight WHERE credential_id = ?", shared)).isZero();
    }

    @Test
    void manualRotationDuringACampaignIsRefusedAndWritesNothingThenAllowedAfterTheResult() {
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        breach(id);
        RotationDue due = due(id, 1, KAFKA_WAIT).get(0);
        long outbox = Database.count("SELECT count(*) FROM outbox WHERE aggregateid = ?", id);

        as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(409)
                .contentType(PROBLEM).body("type", equalTo("https://rekey.dev/problems/rotation-running"));
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE object_id = ? AND action = ?", id,
                "credential.rotation_requested")).isZero();
        assertThat(Database.count("SELECT count(*) FROM outbox WHERE aggregateid = ?", id)).isEqualTo(outbox);
        assertThat(due(id, 2, ABSENCE_WAIT)).hasSize(1);

        WorkerEvents.rotated(due, 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/credentials/" + id)
                .then().body("version", equalTo(2)));
        as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(202);
    }

    @Test
    void aBreachReportedDuringAManualRotationTakesItOverAndEndsTheSessions() {
        // the manual rotation leaves the user's sessions open (the attacker's, once it is a breach): the breach
        // rotates the credential itself, at once, instead of waiting for it
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        String manualId = as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(202)
                .extract().path("rotationId");
        String breach = breach(id);
        List<RotationDue> due = due(id, 2, KAFKA_WAIT);
        assertThat(due).hasSize(2);
        assertThat(due.get(0).rotationId()).hasToString(manualId);
        RotationDue breachDue = due.get(1);
        assertThat(breachDue.cause().breachId()).hasToString(breach);
        assertThat(breachDue.terminateSessions()).isTrue();
        assertThat(reported(breach).path("owners").get(0).path("count").asInt()).as("the campaign rotates it itself")
                .isEqualTo(1);
        as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(409);

        // the superseded rotation's result records its version but neither ends the campaign nor the rotation
        WorkerEvents.rotated(due.get(0), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/credentials/" + id)
                .then().body("version", equalTo(2), "status", equalTo("ROTATING")));
        breachView(breach).body("status", equalTo("RUNNING"), "pending", equalTo(1));
        assertThat(Database.count("SELECT count(*) FROM rotations_in_flight WHERE rotation_id = ?::uuid",
                breachDue.rotationId().toString())).isEqualTo(1);

        WorkerEvents.rotated(breachDue, 3);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach)
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(1)));
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("version", equalTo(3),
                "status", equalTo("ACTIVE"));
    }

    @Test
    void aLateFailureOfASupersededRotationLeavesTheBreachRotationAlone() {
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(202);
        String breach = breach(id);
        List<RotationDue> due = due(id, 2, KAFKA_WAIT);

        String failure = WorkerEvents.failed(due.get(0), 3, true, "gave up");
        await().atMost(KAFKA_WAIT).until(() -> Database.count("SELECT count(*) FROM processed_events"
                + " WHERE event_id = ?", failure) == 1);
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("status", equalTo("ROTATING"));
        breachView(breach).body("status", equalTo("RUNNING"), "pending", equalTo(1));
        WorkerEvents.rotated(due.get(1), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach)
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(1), "failed", equalTo(0)));
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void concurrentReportsOfTheSameCredentialsRotateEachOnceAndEveryCampaignCompletes() throws Exception {
        String team = owner(unique("team"));
        String pg = system(unique("pg"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(credential(unique("c" + i), pg, team, List.of(), List.of()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> reports = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                // each report names the credentials in another order
                List<String> order = new ArrayList<>(ids);
                java.util.Collections.rotate(order, i);
                reports.add(pool.submit((Callable<String>) () -> breach(order.toArray(String[]::new))));
            }
            List<String> breaches = new ArrayList<>();
            for (Future<String> report : reports) {
                breaches.add(report.get());
            }
            Set<String> subjects = Set.copyOf(ids);
            List<ConsumerRecord<String, String>> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                    r -> subjects.contains(header(r, "ce_subject")), ids.size() + 1, Duration.ofSeconds(8));
            assertThat(due).extracting(r -> header(r, "ce_subject")).containsExactlyInAnyOrderElementsOf(ids);
            for (ConsumerRecord<String, String> record : due) {
                WorkerEvents.rotated(EventJson.decode(record.value(), RotationDue.class), 2);
            }
            for (String breach : breaches) {
                await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach)
                        .body("status", equalTo("COMPLETED"), "rotated", equalTo(ids.size())));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentManualRotationsOfOneCredentialStartOne() throws Exception {
        String id = credential(unique("c"), system(unique("pg")), owner(unique("team")), List.of(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate")
                        .statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(202, 409).containsOnlyOnce(202);
        } finally {
            pool.shutdownNow();
        }
        assertThat(due(id, 2, ABSENCE_WAIT)).hasSize(1);
    }

    private static String breach(String... credentialIds) {
        return as(Tokens.incidentCommander())
                .body(Map.of("title", "overlap", "selector", Map.of("credentialIds", List.of(credentialIds))))
                .post("/api/v1/breaches").then().statusCode(202).extract().path("id");
    }

    /** The rotation-due records of a credential, oldest first (reads until {@code expected} or the timeout). */
    private static List<RotationDue> due(String credentialId, int expected, Duration wait) {
        return KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> credentialId.equals(header(r, "ce_subject")),
                expected, wait).stream().map(r -> EventJson.decode(r.value(), RotationDue.class))
                .sorted(java.util.Comparator.comparing(RotationDue::requestedAt)).toList();
    }

    private static ValidatableResponse breachView(String id) {
        return as(Tokens.auditor()).get("/api/v1/breaches/" + id).then().statusCode(200);
    }
}
