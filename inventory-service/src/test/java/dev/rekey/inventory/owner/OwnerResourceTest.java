package dev.rekey.inventory.owner;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
class OwnerResourceTest {

    @Test
    void createdOwnerCanBeReadBack() {
        String id = unique("team");
        as(Tokens.admin())
                .body(Map.of("id", id, "name", "Payments", "email", "payments@example.com",
                        "slackWebhook", "https://hooks.slack.com/services/T0/B0/xyz"))
                .post("/api/v1/owners")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/owners/" + id))
                .body("id", equalTo(id), "email", equalTo("payments@example.com"));

        as(Tokens.admin()).get("/api/v1/owners/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Payments"), "slackWebhook", equalTo("https://hooks.slack.com/services/T0/B0/xyz"));
    }

    @Test
    void webhookTokensAreHiddenFromAuditors() {
        String id = unique("team");
        as(Tokens.admin())
                .body(Map.of("id", id, "name", "Payments", "email", "payments@example.com",
                        "slackWebhook", "https://hooks.slack.com/services/T0/B0/xyz"))
                .post("/api/v1/owners").then().statusCode(201);

        as(Tokens.auditor()).get("/api/v1/owners/" + id)
                .then().statusCode(200)
                .body("slackWebhook", not(containsString("xyz")));
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
    void malformedJsonIsA400ProblemAndNothingIsWritten() {
        long before = Database.count("SELECT count(*) FROM owners");
        as(Tokens.admin()).body("{\"id\": \"broken\", \"name\": ")
                .post("/api/v1/owners")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://rekey.dev/problems/malformed-body"),
                        "detail", not(containsString("broken")));
        assertThat(Database.count("SELECT count(*) FROM owners")).isEqualTo(before);
    }

    @Test
    void missingBodyIsA400Problem() {
        as(Tokens.admin()).post("/api/v1/owners")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void unknownOwnerIsANotFoundProblem() {
        as(Tokens.admin()).get("/api/v1/owners/" + unique("nobody"))
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void ownersAreListedPageByPage() {
        owner(unique("team"));
        owner(unique("team"));
        as(Tokens.admin()).queryParam("size", 1).queryParam("page", 1).get("/api/v1/owners")
                .then().statusCode(200)
                .body("items", hasSize(1), "page", equalTo(1), "size", equalTo(1));
        as(Tokens.admin()).queryParam("size", 5000).get("/api/v1/owners")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("size"));
    }
}
