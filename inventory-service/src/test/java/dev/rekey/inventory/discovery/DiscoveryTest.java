package dev.rekey.inventory.discovery;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** Discovery against the devstack's Vault dev server: the secrets nobody registered become unowned credentials. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class DiscoveryTest {

    private static void write(String path) throws Exception {
        Vault vault = Vault.create(new VaultConfig().address(SharedStack.vaultAddress())
                .token(SharedStack.vaultToken()).engineVersion(2).build());
        assertThat(vault.logical().write("secret/" + path, Map.of("username", "u", "password", "p"))
                .getRestResponse().getStatus()).isEqualTo(200);
    }

    private static io.restassured.response.ValidatableResponse discover(String system, String prefix) {
        return as(Tokens.admin()).body(Map.of("mount", "secret", "prefix", prefix))
                .post("/api/v1/systems/" + system + "/discover").then().log().ifValidationFails();
    }

    @Test
    void unknownSecretsBecomeUnownedCredentialsInTheStaleReportAndARerunFindsNothingNew() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("disc") + "/";
        write(prefix + "apps/billing/db");
        write(prefix + "apps/ledger/db");
        write(prefix + "legacy-cron");
        write(prefix + "known/db");
        write(unique("elsewhere") + "/not-below-the-prefix");
        Map<String, Object> known = new HashMap<>(credentialBody(unique("known"), system, owner, List.of(), List.of()));
        known.put("vaultPath", prefix + "known/db");
        as(Tokens.admin()).body(known).post("/api/v1/credentials").then().statusCode(201);

        discover(system, prefix).statusCode(200)
                .body("secretsListed", equalTo(4), "alreadyKnown", equalTo(1), "registered", hasSize(3),
                        "complete", equalTo(true));

        String billing = Discovery.idFor("secret", prefix + "apps/billing/db");
        as(Tokens.auditor()).get("/api/v1/credentials/" + billing).then().statusCode(200)
                .body("status", equalTo("UNOWNED"), "ownerId", nullValue(), "username", nullValue(),
                        "vaultPath", equalTo(prefix + "apps/billing/db"), "systemId", equalTo(system));
        as(Tokens.auditor()).queryParam("system", system).queryParam("size", 1000).get("/api/v1/reports/stale")
                .then().statusCode(200)
                .body("items.find { it.id == '" + billing + "' }.reasons", contains("UNOWNED", "NEVER_ROTATED"));
        as(Tokens.auditor()).queryParam("system", system).queryParam("status", "UNOWNED").get("/api/v1/credentials")
                .then().body("items", hasSize(3));
        // owners do not see what nobody owns
        as(Tokens.owner(owner)).get("/api/v1/credentials/" + billing).then().statusCode(404);
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE action = 'system.discovered'"
                + " AND object_id = ?", system)).isEqualTo(1);

        discover(system, prefix).statusCode(200)
                .body("secretsListed", equalTo(4), "alreadyKnown", equalTo(4), "registered", hasSize(0),
                        "complete", equalTo(true));
    }

    @Test
    void aBreachOverAnUnownedCredentialMarksItFailedAndSendsNoRotationForIt() throws Exception {
        String system = system(unique("pg"));
        String prefix = unique("disc") + "/";
        write(prefix + "orphan");
        discover(system, prefix).statusCode(200).body("registered", hasSize(1));
        String orphan = Discovery.idFor("secret", prefix + "orphan");

        String breach = as(Tokens.incidentCommander())
                .body(Map.of("title", "db host", "selector", Map.of("systems", List.of(system))))
                .post("/api/v1/breaches").then().statusCode(202).body("total", equalTo(1))
                .extract().path("id");
        as(Tokens.auditor()).get("/api/v1/breaches/" + breach + "/credentials").then()
                .body("items[0].credentialId", equalTo(orphan), "items[0].status", equalTo("FAILED"));
        assertThat(KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> orphan.equals(header(r, "ce_subject")), 1,
                Duration.ofSeconds(3))).isEmpty();

        // an admin claims it: owner and user given, it is an ordinary credential from now on
        String owner = owner(unique("team"));
        Map<String, Object> claim = new HashMap<>(credentialBody(orphan, system, owner, List.of(), List.of()));
        claim.put("vaultPath", prefix + "orphan");
        as(Tokens.admin()).body(claim).put("/api/v1/credentials/" + orphan).then().statusCode(200)
                .body("status", equalTo("ACTIVE"), "ownerId", equalTo(owner));
    }

    @Test
    void aLargePrefixIsRegisteredOverSeveralRunsWithinTheBound() throws Exception {
        String system = system(unique("pg"));
        String prefix = unique("many") + "/";
        for (int i = 0; i < 60; i++) {
            write(prefix + "team-" + (i % 6) + "/secret-" + i);
        }
        discover(system, prefix).statusCode(200)
                .body("secretsListed", equalTo(60), "registered", hasSize(50), "complete", equalTo(false));
        discover(system, prefix).statusCode(200)
                .body("alreadyKnown", equalTo(50), "registered", hasSize(10), "complete", equalTo(true));
        discover(system, prefix).statusCode(200).body("registered", hasSize(0));
        assertThat(Database.count("SELECT count(*) FROM credentials WHERE system_id = ? AND status = 'UNOWNED'",
                system)).isEqualTo(60);
    }

    @Test
    void onlyAnAdminDiscoversAndOnlyOnAKnownSystem() {
        String system = system(unique("pg"));
        for (String token : List.of(Tokens.incidentCommander(), Tokens.auditor(), Tokens.owner(unique("team")))) {
            as(token).body(Map.of("mount", "secret", "prefix", "x/")).post("/api/v1/systems/" + system + "/discover")
                    .then().statusCode(403);
        }
        discover(unique("nosystem"), "x/").statusCode(404);
        as(Tokens.admin()).body(Map.of("mount", "secret", "prefix", "../etc/"))
                .post("/api/v1/systems/" + system + "/discover")
                .then().statusCode(400).body("errors.field", hasItem("prefix"));
        discover(system, unique("empty") + "/").statusCode(200)
                .body("secretsListed", equalTo(0), "registered", hasSize(0), "complete", equalTo(true));
    }

    @Test
    void rekeysOwnEntriesAreNotForDiscoveryItsVaultPolicyDeniesThem() throws Exception {
        String system = system(unique("pg"));
        write("rekey/systems/" + unique("admin"));
        discover(system, "rekey/").statusCode(503).contentType("application/problem+json")
                .body("detail", equalTo("the inventory's Vault policy does not allow listing secret/rekey/"));
        assertThat(Database.count("SELECT count(*) FROM credentials WHERE vault_path LIKE 'rekey/%'")).isZero();
    }
}
