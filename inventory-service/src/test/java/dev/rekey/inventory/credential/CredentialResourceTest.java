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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class CredentialResourceTest {

    @Test
    void registeredCredentialShowsWhereItsSecretLivesButNoValue() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String id = unique("cred");
        as(Tokens.admin()).body(credentialBody(id, system, owner, List.of("prod"), List.of("okta")))
                .post("/api/v1/credentials")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/credentials/" + id))
                .body("vaultPath", equalTo("apps/" + id + "/db"),
                        "rotationPolicy.generator", equalTo("password:32"),
                        "rotationPolicy.strategy", equalTo("in-place"),
                        "rotationPolicy.maxAgeDays", equalTo(90),
                        "status", equalTo("ACTIVE"), "version", equalTo(0),
                        "$", not(hasKey("password")));

        as(Tokens.auditor()).get("/api/v1/credentials/" + id)
                .then().statusCode(200)
                .body("exposedVia", contains("okta"), "systemId", equalTo(system), "$", not(hasKey("password")));
    }

    @Test
    void credentialOfUnknownSystemAndOwnerIsUnprocessableAndNothingIsWritten() {
        long before = Database.count("SELECT count(*) FROM credentials");
        as(Tokens.admin()).body(credentialBody(unique("cred"), unique("nosys"), unique("noowner"), List.of(), List.of()))
                .post("/api/v1/credentials")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("systemId", "ownerId"));
        assertThat(Database.count("SELECT count(*) FROM credentials")).isEqualTo(before);
    }

    @Test
    void aPasswordFieldIsRejectedAndNothingIsWritten() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        Map<String, Object> body = new HashMap<>(credentialBody(unique("cred"), system, owner, List.of(), List.of()));
        body.put("password", "hunter2-should-never-be-stored");
        long before = Database.count("SELECT count(*) FROM credentials");
        String problem = as(Tokens.admin()).body(body)
                .post("/api/v1/credentials")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("password"))
                .extract().asString();
        assertThat(problem).doesNotContain("hunter2");
        assertThat(Database.count("SELECT count(*) FROM credentials")).isEqualTo(before);
    }

    @Test
    void invalidFieldsAreReportedOneByOne() {
        Map<String, Object> body = new HashMap<>(credentialBody("UPPER", "s", "o", List.of("Bad Tag"), List.of()));
        body.put("vaultPath", "/absolute/../path");
        as(Tokens.admin()).body(body)
                .post("/api/v1/credentials")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("id", "tags[0]", "vaultPath"));
    }

    @Test
    void duplicateCredentialIdIsAConflict() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String id = credential(unique("cred"), system, owner, List.of(), List.of());
        Map<String, Object> again = new HashMap<>(credentialBody(id, system, owner, List.of(), List.of()));
        again.put("vaultPath", "apps/other/path");
        as(Tokens.admin()).body(again).post("/api/v1/credentials")
                .then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void listIsFilteredByOwnerAndSystemAndPaged() {
        String owner = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String secondSystem = system(unique("pg"));
        String a = credential(unique("a"), system, owner, List.of(), List.of());
        String b = credential(unique("b"), secondSystem, owner, List.of(), List.of());
        credential(unique("c"), system, other, List.of(), List.of());

        as(Tokens.admin()).queryParam("owner", owner).get("/api/v1/credentials")
                .then().statusCode(200)
                .body("items.id", containsInAnyOrder(a, b), "total", equalTo(2));
        as(Tokens.admin()).queryParam("owner", owner).queryParam("system", system).get("/api/v1/credentials")
                .then().statusCode(200)
                .body("items.id", contains(a));
        as(Tokens.admin()).queryParam("owner", owner).queryParam("size", 1).queryParam("page", 1)
                .get("/api/v1/credentials")
                .then().statusCode(200)
                .body("items", hasSize(1), "total", equalTo(2), "page", equalTo(1));
    }
}
