package dev.rekey.inventory.system;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class SystemResourceTest {

    @Test
    void createdSystemGetsDefaultConcurrencyAndCanBeReadBack() {
        String id = unique("redis");
        as(Tokens.admin())
                .body(Map.of("id", id, "type", "redis", "host", "cache.internal", "port", 6379,
                        "adminSecretPath", "secret/rekey/systems/" + id))
                .post("/api/v1/systems")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/systems/" + id))
                .body("maxConcurrentRotations", equalTo(4));

        as(Tokens.auditor()).get("/api/v1/systems/" + id)
                .then().statusCode(200)
                .body("type", equalTo("redis"), "port", equalTo(6379), "host", equalTo("cache.internal"));
        as(Tokens.incidentCommander()).queryParam("size", 1000).get("/api/v1/systems")
                .then().statusCode(200)
                .body("items.id", hasItem(id));
    }

    @Test
    void unknownTypeAndPortOutOfRangeAreFieldErrorsAndNothingIsWritten() {
        long before = Database.count("SELECT count(*) FROM systems");
        as(Tokens.admin())
                .body(Map.of("id", unique("sys"), "type", "oracle", "host", "db", "port", 70000,
                        "adminSecretPath", "secret/admin"))
                .post("/api/v1/systems")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("type", "port"));
        assertThat(Database.count("SELECT count(*) FROM systems")).isEqualTo(before);
    }

    @Test
    void duplicateSystemIdIsAConflictProblem() {
        String id = system(unique("pg"));
        as(Tokens.admin())
                .body(Map.of("id", id, "type", "redis", "host", "h", "port", 1, "adminSecretPath", "secret/x"))
                .post("/api/v1/systems")
                .then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void unknownSystemIsANotFoundProblem() {
        as(Tokens.admin()).get("/api/v1/systems/" + unique("none"))
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
