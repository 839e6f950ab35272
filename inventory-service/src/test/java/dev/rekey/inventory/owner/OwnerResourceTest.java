package dev.rekey.inventory.owner;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerChanged;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class OwnerResourceTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    private static Map<String, Object> ownerBody(String id, Map<String, Object> channels) {
        return Map.of("id", id, "name", "Payments", "email", "payments@example.com", "channels", channels);
    }

    @Test
    void ownerWithChannelsAsVaultPathsIsStoredReadBackAndPublished() {
        String id = unique("team");
        Map<String, Object> channels = Map.of("slackWebhookSecretPath", "secret/rekey/owners/" + id + "/slack",
                "webhook", Map.of("url", "https://hooks.example.com/rekey",
                        "signingSecretPath", "secret/rekey/owners/" + id + "/webhook"));
        as(Tokens.admin()).body(ownerBody(id, channels))
                .post("/api/v1/owners")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/owners/" + id))
                .body("id", equalTo(id), "channels.webhook.url", equalTo("https://hooks.example.com/rekey"));

        as(Tokens.auditor()).get("/api/v1/owners/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Payments"),
                        "channels.slackWebhookSecretPath", equalTo("secret/rekey/owners/" + id + "/slack"),
                        "channels.webhook.signingSecretPath", equalTo("secret/rekey/owners/" + id + "/webhook"));

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(Topics.OWNERS, r -> id.equals(r.key()), 1,
                KAFKA_WAIT);
        assertThat(records).hasSize(1);
        assertThat(header(records.get(0), "ce_type")).isEqualTo(EventTypes.OWNER_CHANGED);
        assertThat(header(records.get(0), "ce_subject")).isEqualTo(id);
        OwnerChanged event = EventJson.decode(records.get(0).value(), OwnerChanged.class);
        assertThat(event.email()).isEqualTo("payments@example.com");
        assertThat(event.channels().slackWebhookSecretPath()).isEqualTo("secret/rekey/owners/" + id + "/slack");
        assertThat(event.channels().webhook().url()).isEqualTo("https://hooks.example.com/rekey");
    }

    @Test
    void everyChangeIsPublishedInOrderAndADeleteIsATombstone() {
        String id = owner(unique("team"));
        as(Tokens.admin()).body(Map.of("name", "Renamed", "email", "renamed@example.com"))
                .put("/api/v1/owners/" + id)
                .then().statusCode(200).body("name", equalTo("Renamed"), "channels.webhook", nullValue());
        as(Tokens.admin()).delete("/api/v1/owners/" + id).then().statusCode(204);
        as(Tokens.admin()).get("/api/v1/owners/" + id).then().statusCode(404);

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(Topics.OWNERS, r -> id.equals(r.key()), 3,
                KAFKA_WAIT);
        assertThat(records).hasSize(3);
        assertThat(EventJson.decode(records.get(0).value(), OwnerChanged.class).name()).isEqualTo("Team " + id);
        assertThat(EventJson.decode(records.get(1).value(), OwnerChanged.class).name()).isEqualTo("Renamed");
        assertThat(records.get(2).value()).isNull();
        assertThat(header(records.get(2), "ce_type")).isEqualTo(EventTypes.OWNER_CHANGED);
    }

    @Test
    void anOwnerChangesItsOwnRecordButNotAnothersAndCannotDeleteItself() {
        String me = owner(unique("team"));
        String other = owner(unique("team"));
        as(Tokens.owner(me)).body(Map.of("name", "Mine", "email", "mine@example.com"))
                .put("/api/v1/owners/" + me).then().statusCode(200).body("name", equalTo("Mine"));
        as(Tokens.owner(me)).body(Map.of("name", "Hijacked", "email", "evil@example.com"))
                .put("/api/v1/owners/" + other).then().statusCode(404);
        as(Tokens.owner(me)).delete("/api/v1/owners/" + me).then().statusCode(403);
        as(Tokens.admin()).get("/api/v1/owners/" + other).then().body("name", equalTo("Team " + other));
    }

    @Test
    void anOwnerWithCredentialsCannotBeDeleted() {
        String id = owner(unique("team"));
        credential(unique("cred"), system(unique("pg")), id, List.of(), List.of());
        as(Tokens.admin()).delete("/api/v1/owners/" + id)
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("owns 1 credential"));
        as(Tokens.admin()).get("/api/v1/owners/" + id).then().statusCode(200);
    }

    @Test
    void webhookMustBeHttpsWithoutCredentialsAndSecretsMustBeVaultPaths() {
        long before = Database.count("SELECT count(*) FROM owners");
        for (Map<String, Object> channels : List.<Map<String, Object>>of(
                Map.of("webhook", Map.of("url", "http://hooks.example.com/x", "signingSecretPath", "secret/w")),
                Map.of("webhook", Map.of("url", "https://user:pass@hooks.example.com/x", "signingSecretPath", "secret/w")),
                Map.of("webhook", Map.of("url", "https:///nohost", "signingSecretPath", "secret/w")),
                Map.of("webhook", Map.of("url", "https://hooks.example.com/x", "signingSecretPath", "not a path")),
                Map.of("webhook", Map.of("url", "https://hooks.example.com/x")),
                Map.of("slackWebhookSecretPath", "https://hooks.slack.com/services/T0/B0/xyz"))) {
            String body = as(Tokens.admin()).body(ownerBody(unique("team"), channels))
                    .post("/api/v1/owners")
                    .then().statusCode(400).contentType("application/problem+json")
                    .extract().asString();
            assertThat(body).doesNotContain("pass@", "xyz");
        }
        assertThat(Database.count("SELECT count(*) FROM owners")).isEqualTo(before);
    }

    @Test
    void duplicateOwnerIdIsAConflictProblem() {
        String id = owner(unique("team"));
        as(Tokens.admin()).body(Map.of("id", id, "name", "Again", "email", "again@example.com"))
                .post("/api/v1/owners")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409), "title", equalTo("Conflict"),
                        "type", equalTo("https://rekey.dev/problems/conflict"),
                        "instance", equalTo("/api/v1/owners"));
    }

    @Test
    void invalidOwnerIsRejectedFieldByFieldAndNothingIsWritten() {
        long before = Database.count("SELECT count(*) FROM owners");
        as(Tokens.admin()).body(Map.of("id", "Not Valid!", "name", "x", "email", "not-an-email"))
                .post("/api/v1/owners")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400),
                        "errors.field", containsInAnyOrder("id", "email"),
                        "detail", not(containsString("Exception")));
        assertThat(Database.count("SELECT count(*) FROM owners")).isEqualTo(before);
    }

    @Test
    void putWithAnotherIdInTheBodyIsRefused() {
        String id = owner(unique("team"));
        as(Tokens.admin()).body(Map.of("id", unique("other"), "name", "x", "email", "x@example.com"))
                .put("/api/v1/owners/" + id)
                .then().statusCode(400).body("errors.field", containsInAnyOrder("id"));
    }

    @Test
    void unknownOwnerIsANotFoundProblem() {
        as(Tokens.admin()).get("/api/v1/owners/" + unique("nobody"))
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        as(Tokens.admin()).body(Map.of("name", "x", "email", "x@example.com"))
                .put("/api/v1/owners/" + unique("nobody")).then().statusCode(404);
        as(Tokens.admin()).delete("/api/v1/owners/" + unique("nobody")).then().statusCode(404);
    }

    @Test
    void ownersAreListedPageByPageAndAPagePastTheEndIsEmpty() {
        owner(unique("team"));
        owner(unique("team"));
        as(Tokens.admin()).queryParam("size", 1).queryParam("page", 1).get("/api/v1/owners")
                .then().statusCode(200)
                .body("items", hasSize(1), "page", equalTo(1), "size", equalTo(1));
        as(Tokens.admin()).queryParam("size", 1000).queryParam("page", 1_000_000).get("/api/v1/owners")
                .then().statusCode(200).body("items", hasSize(0), "page", equalTo(1_000_000));
        as(Tokens.admin()).queryParam("size", 5000).get("/api/v1/owners")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("size"));
        // numbers that overflow an int are a 400 naming the parameter, not a failed conversion
        as(Tokens.admin()).queryParam("page", "2147483647").get("/api/v1/owners")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("page"));
        as(Tokens.admin()).queryParam("size", "99999999999").queryParam("page", "-1").get("/api/v1/owners")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("page", "size"));
    }
}
