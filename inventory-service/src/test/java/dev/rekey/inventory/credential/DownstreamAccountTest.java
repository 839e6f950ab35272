package dev.rekey.inventory.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * A downstream account (system and user) and a Vault secret belong to one credential only, whoever asks, however
 * (create, update, bulk) and however many ask at once.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class DownstreamAccountTest {

    @TestHTTPResource("/api/v1/credentials")
    URL credentials;

    @Test
    void anOwnerCannotRegisterAnotherOwnersDatabaseUserAndHaveRekeyRotateItAway() {
        String alice = owner(unique("alice"));
        String mallory = owner(unique("mallory"));
        String db = system(unique("pg"));
        String alices = credential(unique("billing"), db, alice, List.of(), List.of());
        String alicesUser = "u_" + alices.replace('-', '_');

        // Mallory, a new owner, registers a credential of her own for Alice's database user, on a secret of hers
        Map<String, Object> attack = new HashMap<>(credentialBody(unique("mine"), db, mallory, List.of(), List.of()));
        attack.put("username", alicesUser);
        String problem = as(Tokens.owner(mallory)).body(attack).post("/api/v1/credentials")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", contains("username"))
                .extract().asString();
        assertThat(problem).doesNotContain(alices).doesNotContain(alice);
        // nor by taking it as the second user of the alternating strategy
        Map<String, Object> alternate = new HashMap<>(credentialBody(unique("mine"), db, mallory, List.of(), List.of()));
        alternate.put("alternateUsername", alicesUser);
        alternate.put("rotationPolicy", Map.of("strategy", "alternating"));
        as(Tokens.owner(mallory)).body(alternate).post("/api/v1/credentials")
                .then().statusCode(409).body("errors.field", contains("alternateUsername"));
        // nor by changing a credential of hers to point at it
        String hers = credential(unique("hers"), db, mallory, List.of(), List.of());
        Map<String, Object> moved = new HashMap<>(credentialBody(hers, db, mallory, List.of(), List.of()));
        moved.put("username", alicesUser);
        as(Tokens.owner(mallory)).body(moved).put("/api/v1/credentials/" + hers).then().statusCode(409);

        assertThat(Database.count("SELECT count(*) FROM downstream_accounts WHERE system_id = ? AND username = ?",
                db, alicesUser)).isEqualTo(1);
        assertThat(Database.count("SELECT count(*) FROM credentials WHERE owner_id = ? AND username = ?",
                mallory, alicesUser)).isZero();
        // a breach of the database rotates Alice's credential as Alice's
        as(Tokens.admin()).queryParam("dryRun", true)
                .body(Map.of("title", "t", "selector", Map.of("systems", List.of(db))))
                .post("/api/v1/breaches").then().statusCode(200)
                .body("credentials.find { it.credentialId == '" + alices + "' }.ownerId", equalTo(alice));
    }

    @Test
    void aVaultSecretBelongsToOneCredentialThroughCreateAndUpdate() {
        String owner = owner(unique("team"));
        String db = system(unique("pg"));
        String first = credential(unique("first"), db, owner, List.of(), List.of());
        Map<String, Object> body = new HashMap<>(credentialBody(unique("second"), db, owner, List.of(), List.of()));
        body.put("vaultPath", "apps/" + first + "/db");
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(409).body("errors.field", contains("vaultPath"));

        String second = credential(unique("second"), db, owner, List.of(), List.of());
        Map<String, Object> update = new HashMap<>(credentialBody(second, db, owner, List.of(), List.of()));
        update.put("vaultPath", "apps/" + first + "/db");
        as(Tokens.admin()).body(update).put("/api/v1/credentials/" + second)
                .then().statusCode(409).body("errors.field", contains("vaultPath"));
        // keeping its own account and secret is no conflict
        as(Tokens.admin()).body(credentialBody(second, db, owner, List.of("t"), List.of()))
                .put("/api/v1/credentials/" + second).then().statusCode(200);
    }

    @Test
    void concurrentRegistrationsOfOneAccountLetExactlyOneThrough() throws Exception {
        String owner = owner(unique("team"));
        String db = system(unique("pg"));
        String user = "u_" + unique("shared").replace('-', '_');
        int attempts = 8;
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String token = Tokens.admin();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            Map<String, Object> body = new HashMap<>(credentialBody(unique("race"), db, owner, List.of(), List.of()));
            body.put("username", user);
            HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.toString()))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            statuses.add(response.statusCode());
            if (response.statusCode() == 409) {
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(response.body()).doesNotContain(user).doesNotContain("duplicate key");
            }
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Database.count("SELECT count(*) FROM credentials WHERE system_id = ? AND username = ?", db, user))
                .isEqualTo(1);
    }

    @Test
    void theSameUserOnAnotherSystemIsAnotherAccount() {
        String owner = owner(unique("team"));
        String one = system(unique("pg"));
        String two = system(unique("pg"));
        String id = credential(unique("cred"), one, owner, List.of(), List.of());
        Map<String, Object> body = new HashMap<>(credentialBody(unique("cred"), two, owner, List.of(), List.of()));
        body.put("username", "u_" + id.replace('-', '_'));
        as(Tokens.admin()).body(body).post("/api/v1/credentials")
                .then().statusCode(201).body("detail", not(containsString("conflict")));
    }
}
