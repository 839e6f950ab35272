package dev.rekey.inventory.outbox;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Cloudflare's 5,000 credentials in one breach: reported in one transaction, relayed to Kafka, outbox emptied, and
 * the worker's 5,000 results applied. Durations are logged, not asserted: the build machines are shared.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class OutboxThroughputTest {

    private static final Logger LOG = Logger.getLogger(OutboxThroughputTest.class);
    private static final int CREDENTIALS = 5000;

    @Test
    void breachOfFiveThousandCredentialsIsRelayedToKafkaAndCompletesFromTheResults() throws SQLException {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String tag = unique("bulk");
        List<String> ids = IntStream.range(0, CREDENTIALS).mapToObj(i -> tag + "-" + i).toList();
        Database.seedCredentials(ids, system, owner, tag);

        long start = System.nanoTime();
        String breachId = as(Tokens.admin())
                .body(Map.of("title", "bulk", "selector", Map.of("tags", List.of(tag))))
                .post("/api/v1/breaches")
                .then().statusCode(202).body("total", equalTo(CREDENTIALS))
                .extract().path("id");
        long reported = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> Database.count(
                "SELECT count(*) FROM outbox WHERE aggregateid LIKE ? OR aggregateid = ?", tag + "-%", breachId) == 0);
        long relayed = System.nanoTime();
        LOG.infof("breach of %d credentials: reported in %d ms, outbox drained %d ms later (%d rows/s)", CREDENTIALS,
                (reported - start) / 1_000_000, (relayed - reported) / 1_000_000,
                (CREDENTIALS + 1) * 1_000_000_000L / Math.max(1, relayed - reported));

        Set<String> expected = Set.copyOf(ids);
        List<RotationDue> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                r -> expected.contains(KafkaRecords.header(r, "ce_subject")),
                CREDENTIALS, Duration.ofSeconds(60)).stream()
                .map(r -> EventJson.decode(r.value(), RotationDue.class)).toList();
        assertThat(due.stream().map(RotationDue::credentialId).collect(Collectors.toSet())).hasSize(CREDENTIALS);

        // the worker's answers: how fast does the campaign's progress follow?
        KafkaRecords.sendAll(due.stream().map(d -> WorkerEvents.rotatedRecord(d, 2, UUID.randomUUID().toString()))
                .toList());
        long answered = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as(Tokens.auditor()).get("/api/v1/breaches/" + breachId).then()
                        .body("status", equalTo("COMPLETED"), "rotated", equalTo(CREDENTIALS)));
        long completed = System.nanoTime();
        LOG.infof("%d secret-rotated results applied in %d ms (%d results/s)", CREDENTIALS,
                (completed - answered) / 1_000_000, CREDENTIALS * 1_000_000_000L / Math.max(1, completed - answered));
    }

}
