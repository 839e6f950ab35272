package dev.rekey.inventory.security;

import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
class AuthorizationTest {

    @Test
    void requestWithoutTokenIsUnauthorized() {
        given().get("/api/v1/credentials")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json");
    }

    @Test
    void malformedTokenIsUnauthorized() {
        assertUnauthorized("not-a-jwt");
        assertUnauthorized("a.b.c");
    }

    @Test
    void unsignedTokenWithAlgNoneIsUnauthorized() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        assertUnauthorized(header + "." + b64(claims("test-admin", Instant.now().plusSeconds(600))) + ".");
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthorized() throws Exception {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "."
                + b64(claims("test-admin", Instant.now().plusSeconds(600)));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.generateKeyPair().getPrivate());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        assertUnauthorized(input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign()));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        assertUnauthorized(DevTokens.issue("test-admin", List.of("admin"), -600));
    }

    @Test
    void tokenFromAnotherIssuerIsUnauthorized() {
        String claims = claims("test-admin", Instant.now().plusSeconds(600))
                .replace(DevTokens.ISSUER, "https://evil.example");
        assertUnauthorized(DevTokens.sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims));
    }

    @Test
    void validTokenWithTheWrongRoleIsForbidden() {
        as(Tokens.auditor()).body(Map.of("id", unique("team"), "name", "n", "email", "n@example.com"))
                .post("/api/v1/owners")
                .then().statusCode(403).contentType("application/problem+json");
        as(Tokens.owner(unique("team"))).body(Map.of("title", "t", "selector", Map.of("systems", List.of("x"))))
                .post("/api/v1/breaches")
                .then().statusCode(403);
        as(DevTokens.issue("guest", List.of("guest"), 600)).get("/api/v1/credentials")
                .then().statusCode(403);
    }

    @Test
    void ownerSeesOnlyItsOwnOwnerRecordAndCredentials() {
        String me = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String mine = credential(unique("mine"), system, me, List.of(), List.of());
        String theirs = credential(unique("theirs"), system, other, List.of(), List.of());
        String token = Tokens.owner(me);

        as(token).get("/api/v1/owners").then().statusCode(200).body("items.id", contains(me));
        as(token).get("/api/v1/owners/" + me).then().statusCode(200);
        as(token).get("/api/v1/owners/" + other).then().statusCode(404);
        as(token).queryParam("system", system).get("/api/v1/credentials")
                .then().statusCode(200).body("items.id", contains(mine), "total", equalTo(1));
        as(token).get("/api/v1/credentials/" + mine).then().statusCode(200);
        as(token).get("/api/v1/credentials/" + theirs).then().statusCode(404);
        as(token).get("/api/v1/systems").then().statusCode(403);
    }

    @Test
    void ownerMayRegisterCredentialsOnlyForItself() {
        String me = owner(unique("team"));
        String other = owner(unique("team"));
        String system = system(unique("pg"));
        String token = Tokens.owner(me);
        as(token).body(credentialBody(unique("c"), system, me, List.of(), List.of()))
                .post("/api/v1/credentials").then().statusCode(201);
        as(token).body(credentialBody(unique("c"), system, other, List.of(), List.of()))
                .post("/api/v1/credentials").then().statusCode(403);
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200);
    }

    private static void assertUnauthorized(String token) {
        given().auth().oauth2(token).get("/api/v1/credentials")
                .then().statusCode(401)
                .contentType("application/problem+json");
    }

    private static String claims(String subject, Instant expiry) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + DevTokens.ISSUER + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[\"admin\"],\"iat\":" + now + ",\"exp\":" + expiry.getEpochSecond() + "}";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
