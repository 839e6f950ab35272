package dev.rekey.inventory.credential;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** {@code POST /credentials/{id}/rotate}: one urgent MANUAL rotation-due, and its result applied. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CredentialRotateTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final String PROBLEM = "application/problem+json";

    @Test
    void ownerRotatesItsCredentialAndTheResultSetsLastRotatedAt() {
        String alice = owner(unique("alice"));
        String pg = system(unique("pg"));
        String id = credential(unique("c"), pg, alice, List.of(), List.of());

        String rotationId = as(Tokens.owner(alice)).post("/api/v1/credentials/" + id + "/rotate")
                .then().statusCode(202).contentType("application/json")
                .body("credentialId", equalTo(id), "cause", equalTo("MANUAL"), "rotationId", notNullValue())
                .extract().path("rotationId");

        List<ConsumerRecord<String, String>> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                r -> id.equals(header(r, "ce_subject")), 1, KAFKA_WAIT);
        assertThat(due).hasSize(1);
        ConsumerRecord<String, String> record = due.get(0);
        assertThat(record.key()).isEqualTo(pg);
        assertThat(header(record, "ce_type")).isEqualTo(EventTypes.ROTATION_DUE);
        RotationDue event = EventJson.decode(record.value(), RotationDue.class);
        assertThat(event.rotationId()).hasToString(rotationId);
        assertThat(event.credentialId()).isEqualTo(id);
        assertThat(event.cause().type()).isEqualTo(CauseType.MANUAL);
        assertThat(event.cause().breachId()).isNull();
        assertThat(event.credential().vaultPath()).isEqualTo("apps/" + id + "/db");
        assertThat(event.credential().systemId()).isEqualTo(pg);
        assertThat(event.target().adminSecretPath()).isEqualTo("secret/rekey/systems/" + pg);
        assertThat(event.owner().ownerId()).isEqualTo(alice);
        assertThat(event.policy().generator()).isEqualTo("password:32");
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE object_id = ? AND action = ?", id,
                "credential.rotation_requested")).isEqualTo(1);

        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("lastRotatedAt", equalTo(null));
        WorkerEvents.rotated(event, 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/credentials/" + id)
                .then().body("lastRotatedAt", notNullValue(), "version", equalTo(2), "status", equalTo("ACTIVE")));
    }

    @Test
    void incidentCommanderAndAdminRotateAnyAuditorIsForbiddenNoTokenIsUnauthorized() {
        String alice = owner(unique("alice"));
        String bob = owner(unique("bob"));
        String id = credential(unique("c"), system(unique("pg")), alice, List.of(), List.of());
        String path = "/api/v1/credentials/" + id + "/rotate";

        String other = credential(unique("c"), system(unique("pg")), alice, List.of(), List.of());

        as(Tokens.incidentCommander()).post(path).then().statusCode(202);
        as(Tokens.admin()).post("/api/v1/credentials/" + other + "/rotate").then().statusCode(202);
        as(Tokens.auditor()).post(path).then().statusCode(403).contentType(PROBLEM);
        given().post(path).then().statusCode(401);
        // another owner's credential does not exist for bob
        as(Tokens.owner(bob)).post(path).then().statusCode(404).contentType(PROBLEM);
        // the first rotation is still in flight: a second one is refused, whoever asks
        as(Tokens.admin()).post(path).then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://rekey.dev/problems/rotation-running"));
        assertThat(requested(id)).isEqualTo(1);
        assertThat(requested(other)).isEqualTo(1);
    }

    @Test
    void unknownIdIs404AndAnUnownedCredentialIs409AndNeitherWritesAnything() throws Exception {
        String unknown = unique("nope");
        as(Tokens.admin()).post("/api/v1/credentials/" + unknown + "/rotate").then().statusCode(404)
                .contentType(PROBLEM);

        String id = credential(unique("c"), system(unique("pg")), owner(unique("alice")), List.of(), List.of());
        try (Connection c = Database.connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE credentials SET owner_id = NULL, status = 'UNOWNED' WHERE id = ?")) {
            s.setString(1, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        as(Tokens.incidentCommander()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(409)
                .contentType(PROBLEM).body("detail", containsString("no owner"));

        for (String credentialId : List.of(unknown, id)) {
            assertThat(requested(credentialId)).isZero();
            assertThat(Database.count("SELECT count(*) FROM outbox WHERE aggregateid = ?", credentialId)).isZero();
            assertThat(KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                    r -> credentialId.equals(header(r, "ce_subject")), 1, Duration.ofSeconds(3))).isEmpty();
        }
    }

    private static long requested(String credentialId) {
        return Database.count("SELECT count(*) FROM audit_log WHERE object_id = ? AND action = ?", credentialId,
                "credential.rotation_requested");
    }
}
