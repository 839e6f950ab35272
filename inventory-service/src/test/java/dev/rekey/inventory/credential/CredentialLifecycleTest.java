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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.breachOf;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** PUT and DELETE of credentials, and what a running campaign forbids. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CredentialLifecycleTest {

    @Test
    void putReplacesWhatTheClientSetsAndKeepsWhatRekeySets() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String id = credential(unique("cred"), system, owner, List.of("a"), List.of());
        Map<String, Object> body = new HashMap<>(credentialBody(id, system, owner, List.of("b", "c"), List.of("okta")));
        body.put("name", "renamed");
        body.put("rotationPolicy", Map.of("maxAgeDays", 30, "generator", "password:40;classes=lower,upper,digit,symbol"));
        as(Tokens.admin()).body(body).put("/api/v1/credentials/" + id)
                .then().statusCode(200)
                .body("name", equalTo("renamed"), "tags", contains("b", "c"), "exposedVia", contains("okta"),
                        "rotationPolicy.maxAgeDays", equalTo(30),
                        "rotationPolicy.generator", equalTo("password:40;classes=lower,upper,digit,symbol"),
                        "status", equalTo("ACTIVE"), "version", equalTo(0));
        as(Tokens.auditor()).get("/api/v1/credentials/" + id).then().body("name", equalTo("renamed"));
    }

    @Test
    void fieldsThatRekeySetsAreRefusedByName() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        for (Map.Entry<String, Object> field : Map.<String, Object>of("status", "ACTIVE", "lastRotatedAt",
                "2026-01-01T00:00:00Z", "version", 7).entrySet()) {
            Map<String, Object> body = new HashMap<>(credentialBody(unique("cred"), system, owner, List.of(), List.of()));
            body.put(field.getKey(), field.getValue());
            as(Tokens.admin()).body(body).post("/api/v1/credentials")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", contains(field.getKey()),
                            "errors.message", contains("is read-only: rekey sets it"));
        }
    }

    @Test
    void anOwnerCannotHandItsCredentialToAnotherOwner() {
        String me = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String id = credential(unique("cred"), system, me, List.of(), List.of());
        as(Tokens.owner(me)).body(credentialBody(id, system, other, List.of(), List.of()))
                .put("/api/v1/credentials/" + id)
                .then().statusCode(400).body("errors.field", contains("ownerId"));
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("ownerId", equalTo(me));
        // an admin may move it
        as(Tokens.admin()).body(credentialBody(id, system, other, List.of(), List.of()))
                .put("/api/v1/credentials/" + id).then().statusCode(200).body("ownerId", equalTo(other));
    }

    @Test
    void deletedCredentialIsGoneAndItsAccountAndSecretAreFreeAgain() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String id = credential(unique("cred"), system, owner, List.of(), List.of());
        as(Tokens.owner(owner)).delete("/api/v1/credentials/" + id).then().statusCode(204);
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().statusCode(404);
        as(Tokens.admin()).delete("/api/v1/credentials/" + id).then().statusCode(404);
        // the same account and Vault secret under a new id
        Map<String, Object> again = new HashMap<>(credentialBody(unique("cred"), system, owner, List.of(), List.of()));
        again.put("vaultPath", "apps/" + id + "/db");
        again.put("username", "u_" + id.replace('-', '_'));
        as(Tokens.admin()).body(again).post("/api/v1/credentials").then().statusCode(201);
    }

    @Test
    void aCredentialThatARunningCampaignRotatesCannotBeChangedOrDeletedUntilTheCampaignIsDone() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String id = credential(unique("cred"), system, owner, List.of(), List.of());
        String breach = breachOf(id);

        as(Tokens.admin()).delete("/api/v1/credentials/" + id)
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("running breach campaign"));
        as(Tokens.admin()).body(credentialBody(id, system, owner, List.of("x"), List.of()))
                .put("/api/v1/credentials/" + id).then().statusCode(409);
        as(Tokens.admin()).body(Map.of("type", "postgresql", "host", "elsewhere", "port", 5432,
                        "adminSecretPath", "secret/admin"))
                .put("/api/v1/systems/" + system).then().statusCode(409);
        as(Tokens.admin()).delete("/api/v1/systems/" + system).then().statusCode(409);

        finish(breach);
        as(Tokens.admin()).delete("/api/v1/credentials/" + id).then().statusCode(204);
        // the campaign keeps its evidence of the deleted credential
        as(Tokens.auditor()).get("/api/v1/breaches/" + breach + "/credentials")
                .then().statusCode(200).body("items.credentialId", contains(id));
        as(Tokens.admin()).delete("/api/v1/systems/" + system).then().statusCode(204);
    }

    @Test
    void aSystemWithCredentialsCannotBeDeleted() {
        String system = system(unique("pg"));
        credential(unique("cred"), system, owner(unique("team")), List.of(), List.of());
        as(Tokens.admin()).delete("/api/v1/systems/" + system)
                .then().statusCode(409).body("detail", containsString("still has 1 credential"));
        as(Tokens.admin()).get("/api/v1/systems/" + system).then().statusCode(200);
    }

    @Test
    void invalidGeneratorPolicyIsRefusedWithTheRuleItBreaks() {
        Map<String, Object> body = new HashMap<>(credentialBody(unique("cred"), system(unique("pg")),
                owner(unique("team")), List.of(), List.of()));
        body.put("rotationPolicy", Map.of("generator", "password:8"));
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(400)
                .body("errors.field", contains("rotationPolicy.generator"),
                        "errors.message", contains("length must be between 16 and 256"));
    }

    @Test
    void alternatingNeedsASecondUserOnAPostgresqlOrMariadbSystem() {
        String owner = owner(unique("team"));
        String pg = system(unique("pg"));
        String redis = system(unique("redis"), "redis");
        Map<String, Object> body = new HashMap<>(credentialBody(unique("cred"), pg, owner, List.of(), List.of()));
        body.put("rotationPolicy", Map.of("strategy", "alternating"));
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(400).body("errors.field", contains("alternateUsername"));

        body.put("alternateUsername", body.get("username"));
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(400).body("errors.message", contains("must differ from username"));

        body.put("alternateUsername", body.get("username") + "_b");
        body.put("systemId", redis);
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(400).body("errors.field", contains("rotationPolicy.strategy"));

        body.put("systemId", pg);
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(201)
                .body("alternateUsername", equalTo(body.get("username") + "_b"),
                        "rotationPolicy.strategy", equalTo("alternating"));

        Map<String, Object> inPlace = new HashMap<>(credentialBody(unique("cred"), pg, owner, List.of(), List.of()));
        inPlace.put("alternateUsername", "someone_else");
        as(Tokens.admin()).body(inPlace).post("/api/v1/credentials")
                .then().statusCode(400).body("errors.message", containsInAnyOrder("is for the alternating strategy only"));
    }

    private static void finish(String breachId) throws Exception {
        try (Connection c = Database.connect(); PreparedStatement update = c.prepareStatement(
                "UPDATE breach_credentials SET status = 'ROTATED', version = 2 WHERE breach_id = ?")) {
            update.setObject(1, UUID.fromString(breachId));
            assertThat(update.executeUpdate()).isPositive();
        }
    }
}
