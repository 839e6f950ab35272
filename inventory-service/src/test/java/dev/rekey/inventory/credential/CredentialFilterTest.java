package dev.rekey.inventory.credential;

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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Every filter of {@code GET /credentials}, alone and combined, and the stale report. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CredentialFilterTest {

    @Test
    void everyFilterSelectsItsCredentials() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String tag = unique("pci");
        String provider = unique("okta");
        String tagged = credential(unique("tagged"), system, owner, List.of(tag, "prod"), List.of());
        String exposed = credential(unique("exposed"), system, owner, List.of(), List.of(provider));
        String fresh = credential(unique("fresh"), system, owner, List.of(), List.of());
        String overdue = credential(unique("overdue"), system, owner, List.of(), List.of());
        rotatedDaysAgo(fresh, 1);
        rotatedDaysAgo(overdue, 91);
        setStatus(exposed, "ROTATION_FAILED");

        list("owner", owner).body("items.id", containsInAnyOrder(tagged, exposed, fresh, overdue));
        list("tag", tag).body("items.id", contains(tagged));
        list("exposedVia", provider).body("items.id", contains(exposed));
        as(Tokens.auditor()).queryParam("owner", owner).queryParam("status", "ROTATION_FAILED")
                .get("/api/v1/credentials").then().statusCode(200).body("items.id", contains(exposed));
        // stale: never rotated, or longer ago than the policy's 90 days
        as(Tokens.auditor()).queryParam("owner", owner).queryParam("stale", true)
                .get("/api/v1/credentials").then().statusCode(200)
                .body("items.id", containsInAnyOrder(tagged, exposed, overdue));
        as(Tokens.auditor()).queryParam("owner", owner).queryParam("stale", false)
                .get("/api/v1/credentials").then().statusCode(200).body("items.id", contains(fresh));
        as(Tokens.auditor()).queryParam("system", system).queryParam("tag", "prod").queryParam("stale", true)
                .get("/api/v1/credentials").then().statusCode(200).body("items.id", contains(tagged));
        list("system", unique("none")).body("items", hasSize(0), "total", equalTo(0));
    }

    @Test
    void theStaleReportSaysWhyAndAnOwnerSeesOnlyItsOwn() throws Exception {
        String owner = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String never = credential(unique("never"), system, owner, List.of(), List.of());
        String overdue = credential(unique("overdue"), system, owner, List.of(), List.of());
        String fresh = credential(unique("fresh"), system, owner, List.of(), List.of());
        String theirs = credential(unique("theirs"), system, other, List.of(), List.of());
        rotatedDaysAgo(overdue, 200);
        rotatedDaysAgo(fresh, 0);

        as(Tokens.auditor()).queryParam("system", system).queryParam("size", 1000).get("/api/v1/reports/stale")
                .then().statusCode(200)
                .body("items.id", containsInAnyOrder(never, overdue, theirs),
                        "items.find { it.id == '" + never + "' }.reasons", contains("NEVER_ROTATED"),
                        "items.find { it.id == '" + overdue + "' }.reasons", contains("OVERDUE"));
        as(Tokens.owner(owner)).get("/api/v1/reports/stale")
                .then().statusCode(200).body("items.id", containsInAnyOrder(never, overdue));
    }

    private static io.restassured.response.ValidatableResponse list(String parameter, String value) {
        return as(Tokens.auditor()).queryParam(parameter, value).get("/api/v1/credentials").then().statusCode(200);
    }

    private static void rotatedDaysAgo(String id, int days) throws Exception {
        try (Connection c = Database.connect(); PreparedStatement update = c.prepareStatement(
                "UPDATE credentials SET last_rotated_at = now() - make_interval(days => ?), version = 2 WHERE id = ?")) {
            update.setInt(1, days);
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    private static void setStatus(String id, String status) throws Exception {
        try (Connection c = Database.connect(); PreparedStatement update = c.prepareStatement(
                "UPDATE credentials SET status = ? WHERE id = ?")) {
            update.setString(1, status);
            update.setString(2, id);
            update.executeUpdate();
        }
    }
}
