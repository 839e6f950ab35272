package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small client of the inventory's REST API, as a user's script would call it. */
public final class InventoryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A response outside 2xx. {@code title}, {@code detail} and {@code fieldErrors} come from its problem+json body,
     * and are null (empty) when the body is not one; the message keeps the raw answer for logs.
     */
    public static final class ApiError extends IOException {

        private final int status;
        private final String title;
        private final String detail;
        private final List<String> fieldErrors;

        ApiError(String method, String path, int status, String body) {
            super(method + " " + path + " answered " + status + ": " + body);
            this.status = status;
            JsonNode problem = parse(body);
            this.title = text(problem, "title");
            this.detail = text(problem, "detail");
            List<String> errors = new ArrayList<>();
            problem.path("errors").forEach(e -> errors.add((e.hasNonNull("row") ? "row " + e.get("row").asText() + " " : "")
                    + e.path("field").asText() + ": " + e.path("message").asText()));
            this.fieldErrors = List.copyOf(errors);
        }

        public int status() {
            return status;
        }

        /** The problem's title, or null when the body was not a problem detail. */
        public String title() {
            return title;
        }

        public String detail() {
            return detail;
        }

        /** {@code field: message} (with {@code row N} for a bulk import) of a validation problem. */
        public List<String> fieldErrors() {
            return fieldErrors;
        }

        private static JsonNode parse(String body) {
            try {
                JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
                return node == null || !node.isObject() ? JSON.createObjectNode() : node;
            } catch (IOException notJson) {
                return JSON.createObjectNode();
            }
        }

        private static String text(JsonNode node, String field) {
            return node.path(field).isTextual() ? node.get(field).asText() : null;
        }
    }

    /**
     * HTTP/1.1: by default the JDK client upgrades to h2c after its first request, and over HTTP/2 a bodyless POST
     * carries no Content-Length, which the inventory answers 411 (measured on POST /breaches/{id}/retry).
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    public InventoryClient(String inventoryUrl, String token) {
        this.baseUrl = inventoryUrl + "/api/v1";
        this.token = token;
    }

    /** POSTs {@code body} and returns the response body; any status outside 2xx is an {@link ApiError}. */
    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest request = request(path, "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return JSON.readTree(nonBlank(send(request)));
    }

    /**
     * POSTs without a body (an action such as {@code /breaches/{id}/retry}). It still names JSON as its type: a
     * resource class that consumes only JSON answers a typeless POST 415, even on a route it lacks.
     */
    public JsonNode post(String path) throws IOException, InterruptedException {
        return JSON.readTree(nonBlank(send(request(path, "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build())));
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(nonBlank(send(request(path, "application/json").GET().build())));
    }

    /** GETs {@code path} as {@code accept} (e.g. {@code text/csv}) and returns the body as it came. */
    public String getText(String path, String accept) throws IOException, InterruptedException {
        return send(request(path, accept).GET().build());
    }

    private HttpRequest.Builder request(String path, String accept) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept);
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new ApiError(request.method(), request.uri().getPath(), response.statusCode(), response.body());
        }
        return response.body();
    }

    private static String nonBlank(String body) {
        return body.isBlank() ? "null" : body;
    }
}
