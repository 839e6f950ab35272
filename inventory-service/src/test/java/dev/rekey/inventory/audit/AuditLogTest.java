package dev.rekey.inventory.audit;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.BulkBodies;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

/** Every write leaves an entry in its own transaction; nobody changes the log, through the API or in the database. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class AuditLogTest {

    @Test
    void everyWriteIsRecordedWithWhoWhatWhichObjectWhenAndTheRequestId() {
        Instant before = Instant.now().minusSeconds(1);
        String owner = unique("team");
        String system = system(unique("pg"));
        String credential = unique("cred");
        as(Tokens.admin()).header("X-Request-Id", "req-" + owner)
                .body(Map.of("id", owner, "name", "Team", "email", "team@example.com"))
                .post("/api/v1/owners").then().statusCode(201).header("X-Request-Id", "req-" + owner);
        as(Tokens.owner(owner)).header("X-Request-Id", "req-" + credential)
                .body(credentialBody(credential, system, owner, List.of(), List.of()))
                .post("/api/v1/credentials").then().statusCode(201);
        Map<String, Object> changed = new HashMap<>(credentialBody(credential, system, owner, List.of("pci"), List.of()));
        changed.put("name", "a new name");
        as(Tokens.owner(owner)).body(changed).put("/api/v1/credentials/" + credential).then().statusCode(200);
        as(Tokens.admin()).delete("/api/v1/credentials/" + credential).then().statusCode(204);

        as(Tokens.auditor()).queryParam("objectId", credential).get("/api/v1/audit")
                .then().statusCode(200)
                .body("items.action", contains("credential.deleted", "credential.updated", "credential.created"),
                        "items.actor", contains("test-admin", owner, owner),
                        "items.objectType", everyItem(equalTo("credential")),
                        "items[1].fields", containsInAnyOrder("name", "tags"),
                        "items[1].actorRoles", contains("owner"),
                        "items[2].requestId", equalTo("req-" + credential));
        as(Tokens.admin()).queryParam("objectType", "owner").queryParam("objectId", owner)
                .queryParam("from", before.toString()).get("/api/v1/audit")
                .then().statusCode(200)
                .body("items.action", contains("owner.created"), "items[0].requestId", equalTo("req-" + owner),
                        "items[0].fields", containsInAnyOrder("name", "email"));
        as(Tokens.auditor()).queryParam("actor", owner).queryParam("action", "credential.updated").get("/api/v1/audit")
                .then().body("items", hasSize(1));
        as(Tokens.auditor()).queryParam("objectId", credential).queryParam("to", before.toString()).get("/api/v1/audit")
                .then().body("items", hasSize(0), "total", equalTo(0));
        // names of fields, never their values
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE object_id IN (?, ?)"
                + " AND (array_to_string(fields, ',') || coalesce(detail, '')) ~ '(team@example.com|a new name)'",
                owner, credential)).isZero();
    }

    @Test
    void aRefusedWriteLeavesNoEntry() {
        String owner = owner(unique("team"));
        as(Tokens.admin()).header("X-Request-Id", "refused-" + owner)
                .body(Map.of("id", owner, "name", "Again", "email", "again@example.com"))
                .post("/api/v1/owners").then().statusCode(409);
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE request_id = ?", "refused-" + owner)).isZero();
    }

    @Test
    void bulkImportsDiscoveriesAndBreachesAreRecordedToo() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("audited");
        io.restassured.RestAssured.given().auth().oauth2(Tokens.admin()).contentType("application/json")
                .header("X-Request-Id", "bulk-" + prefix).body(BulkBodies.json(prefix, 3, system, owner))
                .post("/api/v1/credentials/bulk").then().statusCode(200);
        as(Tokens.auditor()).queryParam("action", "credential.imported").queryParam("objectId", prefix + "-2")
                .get("/api/v1/audit").then().body("items[0].requestId", equalTo("bulk-" + prefix));
        String breach = as(Tokens.incidentCommander())
                .body(Map.of("title", "t", "selector", Map.of("credentialIds", List.of(prefix + "-0"))))
                .post("/api/v1/breaches").then().statusCode(202).extract().path("id");
        as(Tokens.auditor()).queryParam("objectType", "breach").queryParam("objectId", breach).get("/api/v1/audit")
                .then().body("items.action", contains("breach.reported"), "items.actor", contains("test-ic"));
    }

    @Test
    void onlyAdminsAndAuditorsReadTheLogAndNoEndpointChangesIt() {
        as(Tokens.incidentCommander()).get("/api/v1/audit").then().statusCode(403);
        as(Tokens.owner(unique("team"))).get("/api/v1/audit").then().statusCode(403);
        as(Tokens.admin()).get("/api/v1/audit").then().statusCode(200);
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            as(Tokens.admin()).body("{}").request(method, "/api/v1/audit")
                    .then().statusCode(405).contentType("application/problem+json");
        }
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteEntriesWhoeverAsks() throws SQLException {
        owner(unique("team"));
        try (Connection c = Database.connect(); Statement sql = c.createStatement()) {
            for (String statement : List.of("UPDATE audit_log SET actor = 'someone-else'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log")) {
                assertThatThrownBy(() -> sql.execute(statement)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE actor = 'someone-else'")).isZero();
    }
}
