package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.RotationDue;
import dev.rekey.inventory.support.Campaign;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.rekey.inventory.support.Inventory.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** {@code GET /breaches/{id}/report}: the campaign's evidence as JSON and as CSV. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CampaignReportTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final String REASON = "new value refused, \"old\" one still works";

    @Test
    void reportHoldsEachCredentialsOutcomeVersionsAndVerificationTimeAsJsonAndCsv() {
        Campaign campaign = Campaign.of(3);
        RotationDue rotated = campaign.due().get(0);
        RotationDue failed = campaign.due().get(1);
        RotationDue pending = campaign.due().get(2);
        WorkerEvents.rotated(rotated, 5);
        WorkerEvents.failed(failed, 3, true, REASON);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.auditor()).get("/api/v1/breaches/"
                + campaign.breachId()).then().body("rotated", equalTo(1), "failed", equalTo(1)));

        String path = "/api/v1/breaches/" + campaign.breachId() + "/report";
        as(Tokens.auditor()).get(path).then().statusCode(200).contentType("application/json")
                .body("breach.id", equalTo(campaign.breachId()), "breach.total", equalTo(3),
                        "breach.status", equalTo("RUNNING"), "breach.reportedBy", equalTo("test-admin"),
                        "generatedAt", notNullValue(),
                        "credentials.credentialId", equalTo(List.of(rotated.credentialId(), failed.credentialId(),
                                pending.credentialId())),
                        "credentials[0].outcome", equalTo("ROTATED"), "credentials[0].version", equalTo(5),
                        "credentials[0].previousVersion", equalTo(4), "credentials[0].verifiedAt", notNullValue(),
                        "credentials[0].rotationId", equalTo(rotated.rotationId().toString()),
                        "credentials[0].vaultMount", equalTo("secret"),
                        "credentials[0].vaultPath", equalTo("apps/" + rotated.credentialId() + "/db"),
                        "credentials[0].systemId", equalTo(rotated.credential().systemId()),
                        "credentials[0].ownerId", equalTo(rotated.owner().ownerId()),
                        "credentials[0].name", equalTo("login " + rotated.credentialId()),
                        "credentials[1].outcome", equalTo("FAILED"), "credentials[1].reason", equalTo(REASON),
                        "credentials[1].attempts", equalTo(3), "credentials[1].verifiedAt", equalTo(null),
                        "credentials[2].outcome", equalTo("PENDING"), "credentials[2].version", equalTo(null));

        String csv = as(Tokens.incidentCommander()).accept("text/csv").get(path).then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(as(Tokens.admin()).accept("*/*").queryParam("format", "csv").get(path).then().statusCode(200)
                .contentType("text/csv").extract().asString()).isEqualTo(csv);
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("credential_id,name,owner_id,system_id,vault_mount,vault_path,"
                + "rotation_id,outcome,previous_version,version,verified_at,reason,attempts,retried_by");
        assertThat(lines.get(1)).startsWith(rotated.credentialId() + ",login " + rotated.credentialId() + ","
                + rotated.owner().ownerId() + "," + rotated.credential().systemId() + ",secret,apps/"
                + rotated.credentialId() + "/db," + rotated.rotationId() + ",ROTATED,4,5,");
        assertThat(lines.get(2)).endsWith(",FAILED,,,,\"new value refused, \"\"old\"\" one still works\",3,");
        assertThat(lines.get(3)).endsWith(",PENDING,,,,,0,");
        assertThat(csv).endsWith("\r\n");
    }

    @Test
    void unknownBreachIs404AndOwnersMayNotReadReports() {
        as(Tokens.auditor()).get("/api/v1/breaches/" + UUID.randomUUID() + "/report").then().statusCode(404)
                .contentType("application/problem+json");
        as(Tokens.auditor()).accept("text/csv").get("/api/v1/breaches/" + UUID.randomUUID() + "/report").then()
                .statusCode(404);
        as(Tokens.auditor()).get("/api/v1/breaches/not-a-uuid/report").then().statusCode(404);
        Campaign campaign = Campaign.of(1);
        String path = "/api/v1/breaches/" + campaign.breachId() + "/report";
        as(Tokens.owner(campaign.due().get(0).owner().ownerId())).get(path).then().statusCode(403);
        given().get(path).then().statusCode(401);
        as(Tokens.auditor()).queryParam("format", "xml").get(path).then().statusCode(400)
                .contentType("application/problem+json");
    }
}
