package dev.rekey.inventory.security;

import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Database;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Who gets in: tokens as an OIDC provider issues them (issuer, JWKS-published key, audience), and nothing else. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class AuthorizationTest {

    private static final DevTokens TOKENS = DevJwtResource.tokens();

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
        assertUnauthorized(header + "." + b64(DevTokens.claims("test-admin", List.of("admin"), 600,
                DevTokens.AUDIENCE)) + ".");
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthorized() {
        DevTokens stranger = new DevTokens(DevKeyPair.generate());
        assertUnauthorized(stranger.issue("test-admin", List.of("admin"), 600));
        // the stranger even claims the trusted key's id
        assertUnauthorized(stranger.sign(TOKENS.header(),
                DevTokens.claims("test-admin", List.of("admin"), 600, DevTokens.AUDIENCE)));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        assertUnauthorized(TOKENS.issue("test-admin", List.of("admin"), -600));
    }

    @Test
    void tokenNotYetValidIsUnauthorized() {
        long later = Instant.now().getEpochSecond() + 3600;
        String claims = DevTokens.claims("test-admin", List.of("admin"), 7200, DevTokens.AUDIENCE)
                .replaceFirst("\"iat\":\\d+", "\"iat\":" + later + ",\"nbf\":" + later);
        assertUnauthorized(TOKENS.sign(TOKENS.header(), claims));
    }

    @Test
    void tokenFromAnotherIssuerIsUnauthorized() {
        String claims = DevTokens.claims("test-admin", List.of("admin"), 600, DevTokens.AUDIENCE)
                .replace(DevTokens.ISSUER, "https://evil.example");
        assertUnauthorized(TOKENS.sign(TOKENS.header(), claims));
    }

    @Test
    void tokenForAnotherAudienceIsUnauthorized() {
        assertUnauthorized(TOKENS.sign(TOKENS.header(),
                DevTokens.claims("test-admin", List.of("admin"), 600, "some-other-service")));
    }

    @Test
    void tokenWithoutAudienceIsUnauthorized() {
        assertUnauthorized(TOKENS.sign(TOKENS.header(), DevTokens.claims("test-admin", List.of("admin"), 600, null)));
    }

    @Test
    void validTokenWithTheWrongRoleIsForbidden() {
        as(TOKENS.issue("test-auditor", List.of("auditor"), 600))
                .body(Map.of("id", unique("team"), "name", "n", "email", "n@example.com"))
                .post("/api/v1/owners")
                .then().statusCode(403).contentType("application/problem+json");
        as(TOKENS.issue("guest", List.of("guest"), 600)).get("/api/v1/credentials")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void everyAnswerCarriesARequestIdAndAClientsOwnIsEchoed() {
        given().header("X-Request-Id", "client-42").get("/api/v1/credentials")
                .then().statusCode(401).header("X-Request-Id", "client-42");
        given().header("X-Request-Id", "bad id\u0001").get("/api/v1/credentials")
                .then().statusCode(401).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void healthMetricsAndOpenApiAreOnTheManagementPortOnly() {
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/health/live").then().statusCode(200);
        management().get("/q/metrics").then().statusCode(200);
        management().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200);
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
    }

    private static void assertUnauthorized(String token) {
        given().auth().oauth2(token).get("/api/v1/credentials")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
