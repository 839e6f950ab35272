package dev.rekey.inventory.security;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.BulkBodies;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Inventory;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint × every role (and no token) × an object of the caller's own owner or of another owner: the status
 * each one gets. Owners are the caller "alice" in the own column and "bob"'s objects in the other; for the other
 * roles both columns must answer alike. A refused write must leave no audit entry.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class AccessMatrixTest {

    /** Who calls. */
    enum Role { ADMIN, INCIDENT_COMMANDER, AUDITOR, OWNER, NO_TOKEN }

    /** Whose object the request is about: the calling owner's (alice) or another owner's (bob). */
    enum Whose { OWN, OTHER }

    /**
     * The objects of one case: alice's and bob's credentials on a system, an empty system and owner that may be
     * deleted, a breach campaign over a credential of a system of its own, and a completed one whose credential
     * failed (to retry).
     */
    record World(String alice, String bob, String system, String aliceCredential, String bobCredential,
                 String emptySystem, String emptyOwner, String breach, String failedBreach) {

        static World create() {
            String alice = Inventory.owner(unique("alice"));
            String bob = Inventory.owner(unique("bob"));
            String system = Inventory.system(unique("pg"));
            String breachSystem = Inventory.system(unique("pg"));
            String breached = Inventory.credential(unique("breached"), breachSystem, alice, List.of(), List.of());
            return new World(alice, bob, system,
                    Inventory.credential(unique("alices"), system, alice, List.of(), List.of()),
                    Inventory.credential(unique("bobs"), system, bob, List.of(), List.of()),
                    Inventory.system(unique("empty")), Inventory.owner(unique("empty")), Inventory.breachOf(breached),
                    Inventory.failedBreachOf(Inventory.credential(unique("failed"), breachSystem, alice, List.of(),
                            List.of())));
        }

        String owner(Whose whose) {
            return whose == Whose.OWN ? alice : bob;
        }

        String credential(Whose whose) {
            return whose == Whose.OWN ? aliceCredential : bobCredential;
        }
    }

    /**
     * One endpoint and what each role gets, own and other ({@code {own, other}}).
     */
    record Endpoint(String name, String method, BiFunction<World, Whose, String> path,
                    BiFunction<World, Whose, Object> body, String contentType, Map<Role, int[]> expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static World shared;

    private static int[] both(int status) {
        return new int[]{status, status};
    }

    private static int[] ownOther(int own, int other) {
        return new int[]{own, other};
    }

    private static Map<Role, int[]> expect(int[] admin, int[] ic, int[] auditor, int[] owner) {
        return Map.of(Role.ADMIN, admin, Role.INCIDENT_COMMANDER, ic, Role.AUDITOR, auditor, Role.OWNER, owner,
                Role.NO_TOKEN, both(401));
    }

    private static Endpoint get(String name, Function<World, String> path, Map<Role, int[]> expected) {
        return new Endpoint(name, "GET", (w, whose) -> path.apply(w), (w, whose) -> null, null, expected);
    }

    private static Endpoint write(String name, String method, BiFunction<World, Whose, String> path,
                                  BiFunction<World, Whose, Object> body, Map<Role, int[]> expected) {
        return new Endpoint(name, method, path, body, "application/json", expected);
    }

    static List<Endpoint> endpoints() {
        int[] ok = both(200);
        int[] forbidden = both(403);
        return List.of(
                write("POST /owners", "POST", (w, x) -> "/api/v1/owners",
                        (w, x) -> Map.of("id", unique("new"), "name", "New", "email", "new@example.com"),
                        expect(both(201), forbidden, forbidden, forbidden)),
                get("GET /owners", w -> "/api/v1/owners", expect(ok, ok, ok, ok)),
                new Endpoint("GET /owners/{id}", "GET", (w, x) -> "/api/v1/owners/" + w.owner(x), (w, x) -> null, null,
                        expect(ok, ok, ok, ownOther(200, 404))),
                write("PUT /owners/{id}", "PUT", (w, x) -> "/api/v1/owners/" + w.owner(x),
                        (w, x) -> Map.of("name", "Renamed", "email", "renamed@example.com"),
                        expect(ok, forbidden, forbidden, ownOther(200, 404))),
                write("DELETE /owners/{id}", "DELETE", (w, x) -> "/api/v1/owners/" + w.emptyOwner(), (w, x) -> null,
                        expect(both(204), forbidden, forbidden, forbidden)),
                write("POST /systems", "POST", (w, x) -> "/api/v1/systems",
                        (w, x) -> Map.of("id", unique("sys"), "type", "redis", "host", "h", "port", 6379,
                                "adminSecretPath", "secret/admin"),
                        expect(both(201), forbidden, forbidden, forbidden)),
                get("GET /systems", w -> "/api/v1/systems", expect(ok, ok, ok, forbidden)),
                get("GET /systems/{id}", w -> "/api/v1/systems/" + w.system(), expect(ok, ok, ok, forbidden)),
                write("PUT /systems/{id}", "PUT", (w, x) -> "/api/v1/systems/" + w.system(),
                        (w, x) -> Map.of("type", "postgresql", "host", "db2", "port", 5432, "adminSecretPath", "secret/a"),
                        expect(ok, forbidden, forbidden, forbidden)),
                write("DELETE /systems/{id}", "DELETE", (w, x) -> "/api/v1/systems/" + w.emptySystem(),
                        (w, x) -> null, expect(both(204), forbidden, forbidden, forbidden)),
                write("POST /systems/{id}/discover", "POST", (w, x) -> "/api/v1/systems/" + w.system() + "/discover",
                        (w, x) -> Map.of("mount", "secret", "prefix", unique("none") + "/"),
                        expect(ok, forbidden, forbidden, forbidden)),
                write("POST /credentials", "POST", (w, x) -> "/api/v1/credentials",
                        (w, x) -> credentialBody(unique("new"), w.system(), w.owner(x), List.of(), List.of()),
                        expect(both(201), forbidden, forbidden, ownOther(201, 400))),
                get("GET /credentials", w -> "/api/v1/credentials", expect(ok, ok, ok, ok)),
                new Endpoint("GET /credentials/{id}", "GET", (w, x) -> "/api/v1/credentials/" + w.credential(x),
                        (w, x) -> null, null, expect(ok, ok, ok, ownOther(200, 404))),
                write("PUT /credentials/{id}", "PUT", (w, x) -> "/api/v1/credentials/" + w.credential(x),
                        (w, x) -> credentialBody(w.credential(x), w.system(), w.owner(x), List.of("changed"), List.of()),
                        expect(ok, forbidden, forbidden, ownOther(200, 404))),
                write("DELETE /credentials/{id}", "DELETE", (w, x) -> "/api/v1/credentials/" + w.credential(x),
                        (w, x) -> null, expect(both(204), forbidden, forbidden, ownOther(204, 404))),
                write("POST /credentials/{id}/rotate", "POST",
                        (w, x) -> "/api/v1/credentials/" + w.credential(x) + "/rotate", (w, x) -> null,
                        expect(both(202), both(202), forbidden, ownOther(202, 404))),
                write("POST /credentials/bulk", "POST", (w, x) -> "/api/v1/credentials/bulk",
                        (w, x) -> BulkBodies.json(unique("bulk"), 2, w.system(), w.owner(x)),
                        expect(ok, forbidden, forbidden, ownOther(200, 400))),
                write("POST /breaches", "POST", (w, x) -> "/api/v1/breaches",
                        (w, x) -> Map.of("title", "t", "selector", Map.of("credentialIds", List.of(w.credential(x)))),
                        expect(both(202), both(202), forbidden, forbidden)),
                write("POST /breaches?dryRun=true", "POST", (w, x) -> "/api/v1/breaches?dryRun=true",
                        (w, x) -> Map.of("title", "t", "selector", Map.of("credentialIds", List.of(w.credential(x)))),
                        expect(ok, ok, forbidden, forbidden)),
                get("GET /breaches", w -> "/api/v1/breaches", expect(ok, ok, ok, forbidden)),
                get("GET /breaches/{id}", w -> "/api/v1/breaches/" + w.breach(), expect(ok, ok, ok, forbidden)),
                get("GET /breaches/{id}/credentials", w -> "/api/v1/breaches/" + w.breach() + "/credentials",
                        expect(ok, ok, ok, forbidden)),
                write("POST /breaches/{id}/retry", "POST", (w, x) -> "/api/v1/breaches/" + w.failedBreach() + "/retry",
                        (w, x) -> null, expect(both(202), both(202), forbidden, forbidden)),
                get("GET /breaches/{id}/report", w -> "/api/v1/breaches/" + w.breach() + "/report",
                        expect(ok, ok, ok, forbidden)),
                get("GET /reports/stale", w -> "/api/v1/reports/stale", expect(ok, ok, ok, ok)),
                get("GET /audit", w -> "/api/v1/audit", expect(ok, forbidden, ok, forbidden)));
    }

    static Stream<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Role role : Role.values()) {
                for (Whose whose : Whose.values()) {
                    cases.add(new Object[]{endpoint, role, whose});
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}, {2} object")
    @MethodSource("cases")
    void eachRoleGetsWhatTheContractSays(Endpoint endpoint, Role role, Whose whose) {
        int expected = endpoint.expected().get(role)[whose.ordinal()];
        boolean changes = !endpoint.method().equals("GET") && expected / 100 == 2;
        // a write that goes through changes its world; every other case shares one
        World world = changes ? World.create() : shared();
        String requestId = unique("matrix");
        RequestSpecification request = given().header("X-Request-Id", requestId);
        String token = token(role, world);
        if (token != null) {
            request.auth().oauth2(token);
        }
        Object body = endpoint.body().apply(world, whose);
        if (body != null) {
            request.contentType(endpoint.contentType()).body(body);
        }
        Response response = request.request(endpoint.method(), endpoint.path().apply(world, whose));
        assertThat(response.statusCode()).as(endpoint + " as " + role + " on a " + whose + " object: "
                + response.body().asString()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(Database.count("SELECT count(*) FROM audit_log WHERE request_id = ?", requestId)).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void listsShowAnOwnerOnlyItsOwnObjects() {
        World world = World.create();
        String alice = Tokens.owner(world.alice());
        given().auth().oauth2(alice).queryParam("size", 1000).get("/api/v1/owners").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(world.alice()));
        given().auth().oauth2(alice).queryParam("system", world.system()).get("/api/v1/credentials")
                .then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(world.aliceCredential()), "total",
                        org.hamcrest.Matchers.equalTo(1));
        // asking for bob's by filter shows nothing either
        given().auth().oauth2(alice).queryParam("owner", world.bob()).get("/api/v1/credentials")
                .then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(alice).queryParam("system", world.system()).get("/api/v1/reports/stale")
                .then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(world.aliceCredential()));
    }

    private static String token(Role role, World world) {
        return switch (role) {
            case ADMIN -> Tokens.admin();
            case INCIDENT_COMMANDER -> Tokens.incidentCommander();
            case AUDITOR -> Tokens.auditor();
            case OWNER -> Tokens.owner(world.alice());
            case NO_TOKEN -> null;
        };
    }

    private static synchronized World shared() {
        if (shared == null) {
            shared = World.create();
        }
        return shared;
    }
}
