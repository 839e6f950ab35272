package dev.rekey.inventory.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Seeds the inventory through the API, as an admin, with ids unique to the calling test. */
public final class Inventory {

    private Inventory() {
    }

    /** {@code prefix} plus a random suffix: the shared database outlives a test class. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static String owner(String id) {
        as(Tokens.admin()).body(Map.of("id", id, "name", "Team " + id, "email", id + "@example.com"))
                .post("/api/v1/owners").then().statusCode(201);
        return id;
    }

    public static String system(String id) {
        as(Tokens.admin()).body(Map.of("id", id, "type", "postgresql", "host", "db.internal", "port", 5432,
                        "database", "app", "adminSecretPath", "secret/rekey/systems/" + id,
                        "maxConcurrentRotations", 7, "tags", List.of("prod")))
                .post("/api/v1/systems").then().statusCode(201);
        return id;
    }

    /** A system of the given type, with what that type needs. */
    public static String system(String id, String type) {
        as(Tokens.admin()).body(Map.of("id", id, "type", type, "host", "db.internal", "port", 5432,
                        "adminSecretPath", "secret/rekey/systems/" + id))
                .post("/api/v1/systems").then().statusCode(201);
        return id;
    }

    /** Reports a breach of these credentials (a running campaign); returns the breach id. */
    public static String breachOf(String... credentialIds) {
        return as(Tokens.incidentCommander())
                .body(Map.of("title", "test breach", "selector", Map.of("credentialIds", List.of(credentialIds))))
                .post("/api/v1/breaches").then().statusCode(202).extract().path("id");
    }

    /**
     * A completed campaign whose one credential failed for good: what the worker's final rotation-failed leaves
     * behind (written directly, so that no worker or broker round trip is needed); returns the breach id.
     */
    public static String failedBreachOf(String credentialId) {
        String breach = breachOf(credentialId);
        try (var connection = Database.connect(); var statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE breach_credentials SET status = 'FAILED', reason = 'test', attempts = 3"
                    + " WHERE breach_id = '" + breach + "'");
            statement.executeUpdate("DELETE FROM rotations_in_flight WHERE credential_id = '" + credentialId + "'");
            statement.executeUpdate("UPDATE breaches SET completed_at = now() WHERE id = '" + breach + "'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return breach;
    }

    public static String credential(String id, String systemId, String ownerId, List<String> tags,
                                    List<String> exposedVia) {
        as(Tokens.admin()).body(credentialBody(id, systemId, ownerId, tags, exposedVia))
                .post("/api/v1/credentials").then().statusCode(201);
        return id;
    }

    public static Map<String, Object> credentialBody(String id, String systemId, String ownerId, List<String> tags,
                                                     List<String> exposedVia) {
        return Map.of("id", id, "name", "login " + id, "kind", "postgresql-role", "vaultMount", "secret",
                "vaultPath", "apps/" + id + "/db", "username", "u_" + id.replace('-', '_'), "systemId", systemId,
                "ownerId", ownerId, "tags", tags, "exposedVia", exposedVia);
    }
}
