package dev.rekey.worker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Vault's HTTP API, the one way the worker talks to Vault: KV v2 needs {@code PATCH} for custom metadata and exact
 * check-and-set answers, which the Vault Java Driver does not offer (no PATCH, 4xx returned or thrown depending on
 * the call), so requests go straight through one JDK {@link HttpClient} (connections kept alive). Every request but
 * {@code sys/health} carries the token of {@link VaultLogin}. I/O errors and timeouts become
 * {@link VaultUnavailableException}; statuses are left to the caller.
 */
@ApplicationScoped
public class VaultHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final VaultSettings settings;
    private final VaultLogin login;
    private final HttpClient http;
    private final String base;

    public VaultHttp(VaultSettings settings, VaultLogin login) {
        this.settings = settings;
        this.login = login;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build();
        this.base = settings.addr().replaceAll("/+$", "") + "/v1/";
    }

    /** Vault's answer: its status and its JSON body ({@link MissingNode} when there was none). */
    public record Reply(int status, JsonNode body) {

        /** Whether this is a check-and-set mismatch: 400 with Vault's "check-and-set parameter" error. */
        public boolean isCheckAndSetMismatch() {
            if (status != 400) {
                return false;
            }
            for (JsonNode error : body.path("errors")) {
                if (error.asText().contains("check-and-set")) {
                    return true;
                }
            }
            return false;
        }
    }

    public Reply get(String apiPath, String action) {
        return send("GET", apiPath, null, null, action);
    }

    public Reply post(String apiPath, JsonNode body, String action) {
        return send("POST", apiPath, body, "application/json", action);
    }

    /** A JSON merge patch ({@code PATCH}, {@code application/merge-patch+json}). */
    public Reply patch(String apiPath, JsonNode body, String action) {
        return send("PATCH", apiPath, body, "application/merge-patch+json", action);
    }

    /** {@code sys/health}'s status without a token; 0 when Vault does not answer. */
    public int healthStatus() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "sys/health"))
                .timeout(settings.requestTimeout()).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Reply send(String method, String apiPath, JsonNode body, String contentType, String action) {
        String token = login.token();
        Reply reply = send(method, apiPath, body, contentType, action, token);
        if (reply.status() == 403) {
            // the token may have expired or been revoked under us: a fresh one, or the same one (a real refusal)
            String fresh = login.refresh();
            if (!fresh.equals(token)) {
                reply = send(method, apiPath, body, contentType, action, fresh);
            }
        }
        return reply;
    }

    private Reply send(String method, String apiPath, JsonNode body, String contentType, String action,
                       String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + apiPath))
                .timeout(settings.requestTimeout())
                .header("X-Vault-Token", token)
                .header("X-Vault-Request", "true");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new VaultUnavailableException(action, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultUnavailableException(action, 0);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree that does not serialise", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance(); // not JSON (a proxy's error page): the status says enough
        }
    }

    /** A fresh JSON object node, for request bodies. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
