package dev.rekey.inventory.bulk;

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
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

/** {@code POST /credentials/bulk}: all or nothing, a report per row, JSON and CSV. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class BulkImportTest {

    private static ValidatableResponse bulk(String token, String contentType, byte[] body) {
        return given().auth().oauth2(token).contentType(contentType).body(body)
                .post("/api/v1/credentials/bulk").then().log().ifValidationFails();
    }

    private static ValidatableResponse bulk(String token, String contentType, String body) {
        return bulk(token, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aJsonArrayIsImportedAndAuditedCredentialByCredential() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("json");
        bulk(Tokens.admin(), "application/json", BulkBodies.json(prefix, 2500, system, owner))
                .statusCode(200).body("imported", equalTo(2500));

        assertThat(Database.count("SELECT count(*) FROM credentials WHERE owner_id = ?", owner)).isEqualTo(2500);
        assertThat(Database.count("SELECT count(*) FROM downstream_accounts WHERE system_id = ?", system))
                .isEqualTo(2500);
        assertThat(Database.count("SELECT count(*) FROM audit_log WHERE action = 'credential.imported'"
                + " AND object_id LIKE ?", prefix + "-%")).isEqualTo(2500);
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/credentials/" + BulkBodies.id(prefix, 2499))
                .then().statusCode(200)
                .body("tags", contains("bulk", prefix), "status", equalTo("ACTIVE"),
                        "rotationPolicy.generator", equalTo("password:32"));
    }

    @Test
    void csvWithAHeaderRowListsAndAQuotedPolicyIsImported() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("csv");
        bulk(Tokens.admin(), "text/csv; charset=utf-8", BulkBodies.csv(prefix, 300, system, owner))
                .statusCode(200).body("imported", equalTo(300));
        given().auth().oauth2(Tokens.auditor()).get("/api/v1/credentials/" + BulkBodies.id(prefix, 7))
                .then().statusCode(200)
                .body("tags", contains("bulk", prefix), "exposedVia", contains("okta"),
                        "rotationPolicy.maxAgeDays", equalTo(30),
                        // the default classes are left out of the canonical policy text
                        "rotationPolicy.generator", equalTo("password:40"));
    }

    @Test
    void oneBadRowRejectsTheWholeImportWithEachRowsErrors() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("bad");
        String taken = credential(unique("taken"), system, owner, List.of(), List.of());
        String rows = BulkBodies.csv(prefix, 10, system, owner)
                // row 3: invalid id and an unknown policy strategy; row 5: a control character in the name
                .replace(BulkBodies.id(prefix, 2) + ",", "NOT VALID,")
                .replace(",in-place\n" + BulkBodies.id(prefix, 3), ",sideways\n" + BulkBodies.id(prefix, 3))
                .replace("login 4,", "login\u00014,")
                // row 7 repeats row 6's Vault secret
                .replace("bulk/" + prefix + "/6,", "bulk/" + prefix + "/5,");
        long before = Database.count("SELECT count(*) FROM credentials");
        bulk(Tokens.admin(), "text/csv", rows)
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("nothing was imported"),
                        "errors.findAll { it.row == 3 }.field", hasItems("id", "rotationPolicy.strategy"),
                        "errors.find { it.row == 5 }.field", equalTo("name"),
                        "errors.find { it.row == 7 }.field", equalTo("vaultPath"),
                        "errors.find { it.row == 7 }.message", equalTo("repeats row 6 of this import"));
        assertThat(Database.count("SELECT count(*) FROM credentials")).isEqualTo(before);

        // only conflicts with the inventory: 409, naming the rows
        String conflicting = BulkBodies.json(prefix, 5, system, owner)
                .replace("\"username\":\"" + BulkBodies.user(prefix, 1) + "\"",
                        "\"username\":\"u_" + taken.replace('-', '_') + "\"");
        bulk(Tokens.admin(), "application/json", conflicting)
                .statusCode(409).body("errors.row", contains(2), "errors.field", contains("username"));
        // unknown references: 422
        bulk(Tokens.admin(), "application/json", BulkBodies.json(prefix, 3, unique("nosystem"), owner))
                .statusCode(422).body("errors.field", hasItem("systemId"), "errors", hasSize(3));
        assertThat(Database.count("SELECT count(*) FROM credentials")).isEqualTo(before);
    }

    @Test
    void anOwnerImportsForItselfOnly() {
        String me = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("mine");
        bulk(Tokens.owner(me), "application/json", BulkBodies.json(prefix, 3, system, other))
                .statusCode(400).body("errors.field", contains("ownerId", "ownerId", "ownerId"));
        String withoutOwner = BulkBodies.json(prefix, 3, system, me).replace(",\"ownerId\":\"" + me + "\"", "");
        bulk(Tokens.owner(me), "application/json", withoutOwner).statusCode(200).body("imported", equalTo(3));
        given().auth().oauth2(Tokens.owner(me)).get("/api/v1/credentials/" + BulkBodies.id(prefix, 0))
                .then().statusCode(200).body("ownerId", equalTo(me));
        bulk(Tokens.auditor(), "application/json", "[]").statusCode(403);
        bulk(Tokens.incidentCommander(), "application/json", "[]").statusCode(403);
    }

    @Test
    void aBodyThatIsNoImportIsRefusedAsAWhole() {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String prefix = unique("doc");
        String valid = BulkBodies.json(prefix, 2, system, owner);
        bulk(Tokens.admin(), "application/json", "[]").statusCode(400).body("errors[0].message",
                equalTo("the import holds no credentials"));
        bulk(Tokens.admin(), "application/json", "{\"credentials\":[]}").statusCode(400)
                .body("detail", containsString("an array"));
        bulk(Tokens.admin(), "application/json", valid + " []").statusCode(400).body("detail",
                containsString("after the array"));
        bulk(Tokens.admin(), "application/json", valid.substring(0, valid.length() / 2)).statusCode(400)
                .body("type", equalTo("https://rekey.dev/problems/malformed-body"));
        byte[] invalidUtf8 = valid.replace("login 1", "login \u00e9").getBytes(StandardCharsets.ISO_8859_1);
        bulk(Tokens.admin(), "application/json", invalidUtf8).statusCode(400).body("detail",
                containsString("UTF-8"));
        bulk(Tokens.admin(), "text/csv", BulkBodies.csv(prefix, 2, system, owner).replace("kind,", "kind,password,"))
                .statusCode(400).body("errors.field", hasItem("password"));
        bulk(Tokens.admin(), "text/csv", "id,name\nx,y\n").statusCode(400).body("errors.field", hasItem("vaultPath"));
        bulk(Tokens.admin(), "text/plain", valid).statusCode(415).contentType("application/problem+json");
        bulk(Tokens.admin(), "application/json", valid.replace("\"kind\"", "\"status\":\"ACTIVE\",\"kind\""))
                .statusCode(400).body("errors.field", hasItem("status"));
        assertThat(Database.count("SELECT count(*) FROM credentials WHERE id LIKE ?", prefix + "%")).isZero();
    }

    @Test
    void moreThanFiftyThousandRowsIsTooLarge() {
        String rows = BulkBodies.CSV_HEADER + "\n" + IntStream.range(0, 50_001)
                .mapToObj(i -> "r" + i + ",n,k,secret,p" + i + ",u" + i + ",s,o,,,,,,")
                .collect(Collectors.joining("\n"));
        bulk(Tokens.admin(), "text/csv", rows).statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 50000"));
    }
}
