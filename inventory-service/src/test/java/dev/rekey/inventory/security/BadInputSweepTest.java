package dev.rekey.inventory.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.BulkBodies;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.Inventory;
import dev.rekey.inventory.support.LogCapture;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends every endpoint the inputs a client can get wrong, whatever the bytes: control characters (NUL included) in
 * ids, query parameters and bodies, numbers that overflow, data after the JSON document, a body or URL over the
 * limits, a wrong or missing Content-Type, an empty body, unknown fields, invalid UTF-8. Each must be a 4xx
 * problem detail that names the problem, change nothing in the database and log no warning or stack trace.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class BadInputSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHUNKED = "chunked: ";
    private static final List<String> TABLES = List.of("owners", "systems", "credentials", "downstream_accounts",
            "breaches", "breach_credentials", "breach_retries", "rotations_in_flight", "outbox", "audit_log");

    @TestHTTPResource("/")
    URL base;

    // HTTP/1.1: a chunked body is sent as chunks, not upgraded to an HTTP/2 stream
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One endpoint: how to call it right, so that each input spoils one thing. */
    record Endpoint(String method, String path, List<String> ids, List<String> query, String body) {

        String name() {
            return method + " " + path;
        }
    }

    /** A spoiled request. */
    record Input(String endpoint, String name, String method, String path, String contentType, byte[] body) {
    }

    @Test
    void everyEndpointAnswersEveryBadInputWithAProblemAndChangesNothing() throws Exception {
        String owner = Inventory.owner(unique("team"));
        String system = Inventory.system(unique("pg"));
        String credential = Inventory.credential(unique("cred"), system, owner, List.of(), List.of());
        String breach = Inventory.breachOf(Inventory.credential(unique("breached"), Inventory.system(unique("pg")),
                owner, List.of(), List.of()));
        String ownerBody = "{\"id\":\"" + unique("o") + "\",\"name\":\"n\",\"email\":\"n@example.com\"}";
        String systemBody = "{\"id\":\"" + unique("s") + "\",\"type\":\"postgresql\",\"host\":\"h\",\"port\":5432,"
                + "\"adminSecretPath\":\"secret/a\",\"maxConcurrentRotations\":2}";
        String credentialBody = JSON.writeValueAsString(Inventory.credentialBody(unique("c"), system, owner,
                List.of(), List.of())).replace("}", ",\"rotationPolicy\":{\"maxAgeDays\":30}}");
        String breachBody = "{\"title\":\"t\",\"selector\":{\"credentialIds\":[\"" + credential + "\"]}}";
        List<String> paging = List.of("page", "size");
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/v1/owners", List.of(), List.of(), ownerBody),
                new Endpoint("GET", "/api/v1/owners", List.of(), paging, null),
                new Endpoint("GET", "/api/v1/owners/{id}", List.of(owner), List.of(), null),
                new Endpoint("PUT", "/api/v1/owners/{id}", List.of(owner), List.of(), ownerBody.replaceFirst("\"id\":\"[^\"]*\",", "")),
                new Endpoint("DELETE", "/api/v1/owners/{id}", List.of(owner), List.of(), null),
                new Endpoint("POST", "/api/v1/systems", List.of(), List.of(), systemBody),
                new Endpoint("GET", "/api/v1/systems", List.of(), paging, null),
                new Endpoint("GET", "/api/v1/systems/{id}", List.of(system), List.of(), null),
                new Endpoint("PUT", "/api/v1/systems/{id}", List.of(system), List.of(), systemBody.replaceFirst("\"id\":\"[^\"]*\",", "")),
                new Endpoint("DELETE", "/api/v1/systems/{id}", List.of(system), List.of(), null),
                new Endpoint("POST", "/api/v1/systems/{id}/discover", List.of(system), List.of(),
                        "{\"mount\":\"secret\",\"prefix\":\"" + unique("none") + "/\"}"),
                new Endpoint("POST", "/api/v1/credentials", List.of(), List.of(), credentialBody),
                new Endpoint("GET", "/api/v1/credentials", List.of(), List.of("page", "size", "owner", "system", "tag",
                        "exposedVia", "status", "stale"), null),
                new Endpoint("GET", "/api/v1/credentials/{id}", List.of(credential), List.of(), null),
                new Endpoint("PUT", "/api/v1/credentials/{id}", List.of(credential), List.of(),
                        credentialBody.replaceFirst("\"id\":\"[^\"]*\",", "")),
                new Endpoint("DELETE", "/api/v1/credentials/{id}", List.of(credential), List.of(), null),
                new Endpoint("POST", "/api/v1/credentials/{id}/rotate", List.of(credential), List.of(), null),
                new Endpoint("POST", "/api/v1/credentials/bulk", List.of(), List.of(),
                        BulkBodies.json(unique("b"), 2, system, owner)),
                new Endpoint("POST", "/api/v1/breaches", List.of(), List.of("dryRun"), breachBody),
                new Endpoint("GET", "/api/v1/breaches", List.of(), paging, null),
                new Endpoint("GET", "/api/v1/breaches/{id}", List.of(breach), List.of(), null),
                new Endpoint("GET", "/api/v1/breaches/{id}/credentials", List.of(breach), List.of("page", "size", "status"), null),
                new Endpoint("POST", "/api/v1/breaches/{id}/retry", List.of(breach), List.of(), null),
                new Endpoint("GET", "/api/v1/breaches/{id}/report", List.of(breach), List.of("format"), null),
                new Endpoint("GET", "/api/v1/reports/stale", List.of(), List.of("page", "size", "system"), null),
                new Endpoint("GET", "/api/v1/audit", List.of(), List.of("page", "size", "actor", "objectType", "objectId",
                        "action", "from", "to"), null));

        List<Input> inputs = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            inputs.addAll(spoiled(endpoint));
        }
        // routes that do not exist, methods a route does not take
        inputs.add(new Input("GET /api/v1/nothing", "unknown route", "GET", "/api/v1/nothing", null, null));
        inputs.add(new Input("PATCH /api/v1/owners", "unknown method", "PATCH", "/api/v1/owners", "application/json",
                utf8(ownerBody)));
        inputs.add(new Input("DELETE /api/v1/credentials", "unknown method", "DELETE", "/api/v1/credentials", null, null));
        Map<String, Long> before = counts();
        List<String> failures = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            // the capture sees the service's records
            java.util.logging.Logger.getLogger("dev.rekey.inventory.sweep").warning("probe");
            assertThat(log.records()).extracting(java.util.logging.LogRecord::getMessage).containsExactly("probe");
            for (Input input : inputs) {
                check(input, failures);
            }
            assertThat(log.records()).as("warnings or errors logged for client mistakes")
                    .extracting(r -> r.getLoggerName() + ": " + r.getMessage()).containsExactly(
                            "dev.rekey.inventory.sweep: probe");
        }
        System.out.printf("SWEEP: %d endpoints, %d bad requests%n", endpoints.size(), inputs.size());
        assertThat(failures).isEmpty();
        assertThat(counts()).isEqualTo(before);
    }

    private List<Input> spoiled(Endpoint e) {
        List<Input> inputs = new ArrayList<>();
        String good = path(e, e.ids());
        String type = e.body() == null ? null : "application/json";
        byte[] body = e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < e.ids().size(); i++) {
            for (String id : List.of("a%00b", "%01", "%7F", "UPPER%20case", "%C3%28", "%FF%FE", "a%0Ab", "..%2F..%2Fetc")) {
                List<String> ids = new ArrayList<>(e.ids());
                ids.set(i, id);
                inputs.add(new Input(e.name(), "id " + id, e.method(), path(e, ids), type, body));
            }
        }
        for (String parameter : e.query()) {
            List<String> values = new ArrayList<>(List.of("%00", "a%01b", "%C3%28"));
            if (parameter.equals("page") || parameter.equals("size")) {
                values.addAll(List.of("2147483647", "99999999999", "-1", "1e3", "0x10", "%20"));
            }
            for (String value : values) {
                inputs.add(new Input(e.name(), parameter + "=" + value, e.method(),
                        good + (good.contains("?") ? "&" : "?") + parameter + "=" + value, type, body));
            }
        }
        inputs.add(new Input(e.name(), "URL over the limit", e.method(), good + (good.contains("?") ? "&" : "?")
                + "x=" + "a".repeat(5000), type, body));
        if (e.body() != null) {
            inputs.addAll(spoiledBodies(e, good));
        }
        return inputs;
    }

    private List<Input> spoiledBodies(Endpoint e, String path) {
        String valid = e.body();
        boolean array = valid.startsWith("[");
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("NUL in a string", utf8(valid.replaceFirst(":\"", ":\"\\\\u0000")));
        bodies.put("raw control character in a string", utf8(valid.replaceFirst(":\"", ":\"\u0001")));
        bodies.put("lone surrogate in a string", utf8(valid.replaceFirst(":\"", ":\"\\\\ud800")));
        bodies.put("bidi override in a string", utf8(valid.replaceFirst(":\"", ":\"\u202e")));
        bodies.put("trailing document", utf8(valid + " " + (array ? "[]" : "{}")));
        bodies.put("trailing garbage", utf8(valid + "x"));
        bodies.put("unknown field", utf8(array ? valid.replaceFirst("\\{", "{\"password\":\"hunter2\",")
                : valid.replaceFirst("\\{", "{\"password\":\"hunter2\",")));
        bodies.put("duplicate field", utf8(valid.replaceFirst("\\{\"([A-Za-z]+)\":", "{\"$1\":\"x\",\"$1\":")));
        bodies.put("number overflows", utf8(valid.matches("(?s).*\":\\d.*")
                ? valid.replaceFirst("\":(\\d+)", "\":99999999999999999999")
                : valid.replaceFirst("\\{", "{\"n\":99999999999999999999,")));
        bodies.put("empty body", new byte[0]);
        bodies.put("blank body", utf8("   "));
        bodies.put("null document", utf8("null"));
        bodies.put(array ? "object instead of array" : "array instead of object", utf8(array ? "{}" : "[]"));
        bodies.put("truncated", utf8(valid.substring(0, valid.length() / 2)));
        bodies.put("invalid UTF-8", invalidUtf8(valid));
        bodies.put("deeply nested", utf8("[".repeat(5000) + "]".repeat(5000)));
        List<Input> inputs = new ArrayList<>();
        bodies.forEach((name, body) -> inputs.add(new Input(e.name(), name, e.method(), path, "application/json", body)));
        inputs.add(new Input(e.name(), "wrong Content-Type", e.method(), path, "text/plain", utf8(valid)));
        inputs.add(new Input(e.name(), "form Content-Type", e.method(), path, "application/x-www-form-urlencoded",
                utf8("a=b")));
        inputs.add(new Input(e.name(), "missing Content-Type", e.method(), path, null, utf8(valid)));
        if (!e.path().endsWith("/bulk")) {
            byte[] large = utf8("{\"name\":\"" + "a".repeat(1_100_000) + "\"}");
            inputs.add(new Input(e.name(), "body over the limit", e.method(), path, "application/json", large));
            inputs.add(new Input(e.name(), CHUNKED + "body without a length", e.method(), path, "application/json",
                    utf8(valid)));
        }
        return inputs;
    }

    private void check(Input input, List<String> failures) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + input.path()))
                .header("Authorization", "Bearer " + Tokens.admin())
                .method(input.method(), input.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : input.name().startsWith(CHUNKED)
                        // no Content-Length: the limit must hold while the body streams in
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(input.body()))
                        : HttpRequest.BodyPublishers.ofByteArray(input.body()));
        if (input.contentType() != null) {
            request.header("Content-Type", input.contentType());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            failures.add(input.endpoint() + " / " + input.name() + ": no answer (" + e + ")");
            return;
        }
        String what = input.endpoint() + " / " + input.name() + " -> " + response.statusCode() + " " + response.body();
        if (response.statusCode() < 400 || response.statusCode() >= 500 || response.statusCode() == 401
                || response.statusCode() == 403) {
            failures.add(what);
            return;
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            failures.add(what + " (not a problem detail)");
            return;
        }
        JsonNode problem = JSON.readTree(response.body());
        if (problem.path("status").asInt() != response.statusCode() || problem.path("detail").asText().isBlank()
                || !problem.path("type").asText().startsWith("https://rekey.dev/problems/")) {
            failures.add(what + " (incomplete problem)");
        }
        if (response.body().contains("hunter2") || response.body().contains("Exception")) {
            failures.add(what + " (echoes the request or an exception)");
        }
    }

    private static String path(Endpoint e, List<String> ids) {
        String path = e.path();
        for (String id : ids) {
            path = path.replaceFirst("\\{id}", id);
        }
        return path;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The valid body with a byte sequence that is not UTF-8 inside its first string. */
    private static byte[] invalidUtf8(String valid) {
        int at = valid.indexOf(":\"") + 2;
        byte[] head = utf8(valid.substring(0, at));
        byte[] tail = utf8(valid.substring(at));
        byte[] out = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xC3;
        out[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, out, head.length + 2, tail.length);
        return out;
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, Database.count("SELECT count(*) FROM " + table));
        }
        return counts;
    }
}
