package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.events.EventTypes;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class RotationResultDeadLetterTest {

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithAReasonAndConsumptionGoesOn() {
        String credential = credential(unique("cred"), system(unique("pg")), owner(unique("team")), List.of(), List.of());
        String run = UUID.randomUUID().toString();
        // all keyed by the credential: one partition, so the valid record is consumed strictly after the poison
        send(credential, run, "garbage", "this is {not json", cloudEventHeaders(UUID.randomUUID().toString()));
        send(credential, run, "no-cloud-event", "{}", Map.of());
        send(credential, run, "missing-field", "{\"credentialId\":\"" + credential + "\"}",
                cloudEventHeaders(UUID.randomUUID().toString()));
        Map<String, String> noId = new HashMap<>(cloudEventHeaders("x"));
        noId.remove("ce_id");
        send(credential, run, "no-ce-id", "{}", noId);
        WorkerEvents.rotatedManually(credential, 7);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(Tokens.admin())
                .get("/api/v1/credentials/" + credential).then().body("version", equalTo(7)));

        Map<String, String> reasons = KafkaRecords.read(Topics.deadLetter(Topics.SECRET_ROTATED),
                        r -> run.equals(header(r, "test-run")), 4, Duration.ofSeconds(30)).stream()
                .collect(Collectors.toMap(r -> header(r, "test-case"), r -> header(r, "dead-letter-reason")));
        assertThat(reasons).containsOnlyKeys("garbage", "no-cloud-event", "missing-field", "no-ce-id");
        assertThat(reasons.get("garbage")).contains("SecretRotated").doesNotContain("not json");
        assertThat(reasons.get("no-cloud-event")).contains("ce_id");
        assertThat(reasons.get("missing-field")).contains("SecretRotated", "missing");
        assertThat(reasons.get("no-ce-id")).isNotBlank();
    }

    private static Map<String, String> cloudEventHeaders(String id) {
        return Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", EventTypes.SECRET_ROTATED,
                "ce_source", "rekey/rotation-worker", "content-type", "application/json");
    }

    private static void send(String key, String run, String testCase, String value, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("test-run", run);
        all.put("test-case", testCase);
        KafkaRecords.send(Topics.SECRET_ROTATED, key, value, all);
    }
}
