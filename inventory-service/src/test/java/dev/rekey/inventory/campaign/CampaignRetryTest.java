package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Campaign;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** {@code POST /breaches/{id}/retry}: the failed credentials of a completed campaign rotated again, in a new pass. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CampaignRetryTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final Duration ABSENCE_WAIT = Duration.ofSeconds(4);
    private static final String PROBLEM = "application/problem+json";

    @Test
    void retryRotatesTheFailedCredentialAgainWithANewRotationIdAndTheCampaignCompletes() {
        Campaign campaign = Campaign.of(2);
        RotationDue failing = campaign.due().get(1);
        WorkerEvents.rotated(campaign.due().get(0), 2);
        WorkerEvents.failed(failing, 3, true);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("status", equalTo("COMPLETED"), "failed", equalTo(1)));

        as(Tokens.incidentCommander()).post("/api/v1/breaches/" + campaign.breachId() + "/retry")
                .then().statusCode(202).contentType("application/json")
                .body("status", equalTo("RUNNING"), "completedAt", equalTo(null), "pending", equalTo(1),
                        "failed", equalTo(0), "rotated", equalTo(1), "retries.size()", equalTo(1),
                        "retries[0].retriedBy", equalTo("test-ic"), "retries[0].count", equalTo(1),
                        "retries[0].retriedAt", notNullValue());
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE object_id = ? AND action = ?",
                campaign.breachId(), "breach.retried")).isEqualTo(1);

        List<RotationDue> due = due(failing.credentialId(), 2, KAFKA_WAIT);
        assertThat(due).hasSize(2);
        RotationDue again = due.get(1);
        assertThat(again.rotationId()).isNotEqualTo(failing.rotationId());
        assertThat(again.cause().type()).isEqualTo(CauseType.BREACH);
        assertThat(again.cause().breachId()).hasToString(campaign.breachId());
        assertThat(again.terminateSessions()).isTrue();
        as(Tokens.auditor()).queryParam("status", "PENDING")
                .get("/api/v1/breaches/" + campaign.breachId() + "/credentials").then()
                .body("items[0].rotationId", equalTo(again.rotationId().toString()), "items[0].attempts", equalTo(0),
                        "items[0].reason", equalTo(null));

        // a late result of the old rotation changes nothing; the new one's completes the campaign
        WorkerEvents.failed(failing, 4, true, "late");
        WorkerEvents.rotated(again, 3);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(2), "failed", equalTo(0)));
        as(Tokens.admin()).get("/api/v1/credentials/" + failing.credentialId()).then()
                .body("status", equalTo("ACTIVE"), "version", equalTo(3));
    }

    @Test
    void retryWhileACredentialIsUnfinishedIsCampaignRunningAndWritesNothing() {
        Campaign campaign = Campaign.of(2);
        WorkerEvents.failed(campaign.due().get(0), 3, true);
        WorkerEvents.failed(campaign.due().get(1), 1, false);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("failed", equalTo(1), "retrying", equalTo(1)));

        as(Tokens.admin()).post("/api/v1/breaches/" + campaign.breachId() + "/retry").then().statusCode(409)
                .contentType(PROBLEM).body("type", equalTo("https://rekey.dev/problems/campaign-running"));
        assertNothingWritten(campaign);
    }

    @Test
    void retryWithoutAFailureIsNothingToRetryAndWritesNothing() {
        Campaign campaign = Campaign.of(1);
        WorkerEvents.rotated(campaign.due().get(0), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId()).body("status", equalTo("COMPLETED")));

        as(Tokens.incidentCommander()).post("/api/v1/breaches/" + campaign.breachId() + "/retry").then()
                .statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://rekey.dev/problems/nothing-to-retry"));
        assertNothingWritten(campaign);
    }

    @Test
    void unknownBreachIs404AndOnlyAdminsAndIncidentCommandersMayRetry() {
        as(Tokens.admin()).post("/api/v1/breaches/" + UUID.randomUUID() + "/retry").then().statusCode(404)
                .contentType(PROBLEM);
        as(Tokens.admin()).post("/api/v1/breaches/not-a-uuid/retry").then().statusCode(404);
        Campaign campaign = Campaign.of(1);
        WorkerEvents.failed(campaign.due().get(0), 3, true);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId()).body("status", equalTo("COMPLETED")));
        String path = "/api/v1/breaches/" + campaign.breachId() + "/retry";
        as(Tokens.auditor()).post(path).then().statusCode(403).contentType(PROBLEM);
        as(Tokens.owner("someone")).post(path).then().statusCode(403).contentType(PROBLEM);
        given().post(path).then().statusCode(401);
        assertNothingWritten(campaign);
    }

    private static void assertNothingWritten(Campaign campaign) {
        assertThat(Database.count("SELECT count(*) FROM breach_retries WHERE breach_id = ?",
                UUID.fromString(campaign.breachId()))).isZero();
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE object_id = ? AND action = ?",
                campaign.breachId(), "breach.retried")).isZero();
        for (RotationDue due : campaign.due()) {
            assertThat(due(due.credentialId(), 2, ABSENCE_WAIT)).hasSize(1);
        }
    }

    private static List<RotationDue> due(String credentialId, int expected, Duration wait) {
        return KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> credentialId.equals(header(r, "ce_subject")),
                expected, wait).stream().map(r -> EventJson.decode(r.value(), RotationDue.class))
                .sorted(Comparator.comparing(RotationDue::requestedAt)).toList();
    }

    private static ValidatableResponse breach(String id) {
        return as(Tokens.auditor()).get("/api/v1/breaches/" + id).then().statusCode(200);
    }
}
