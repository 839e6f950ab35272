package dev.rekey.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads KV v2 secrets over Vault's HTTP API ({@code GET /v1/:mount/data/:path[?version=N]}) with the JDK HTTP client.
 * Results, not exceptions: a read is {@link Found} or {@link Unreadable}, whose reason is built from the status and
 * Vault's error kind only, never from a body that could hold a value.
 */
final class VaultKv {

    sealed interface Read permits Found, Unreadable {
    }

    /** A readable version: its number and its fields as strings. */
    record Found(long version, Map<String, String> data) implements Read {

        @Override
        public String toString() {
            return "Found[version=" + version + ", fields=" + data.keySet() + "]";
        }
    }

    /** A version that could not be read, and why. */
    record Unreadable(String reason) implements Read {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI address;
    private final VaultLogin login;
    private final Duration timeout;

    VaultKv(String address, VaultLogin login, Duration timeout) {
        this.address = URI.create(address.endsWith("/") ? address : address + "/");
        this.login = login;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The current version of the secret. */
    Read readCurrent(WatchedCredential credential) {
        return read(credential, 0);
    }

    /** Exactly {@code version} of the secret ({@code 0}: the current one). */
    Read read(WatchedCredential credential, long version) {
        String what = version == 0 ? "the current version" : "version " + version;
        URI uri = address.resolve("v1/" + encode(credential.vaultMount()) + "/data/" + encode(credential.vaultPath())
                + (version == 0 ? "" : "?version=" + version));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("X-Vault-Token", login.currentToken())
                .header("Accept", "application/json")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Unreadable(what + ": Vault unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreadable(what + ": interrupted");
        }
        int status = response.statusCode();
        return switch (status) {
            case 200 -> found(response.body(), what);
            case 403 -> {
                loginAgain();
                yield new Unreadable(what + ": permission denied (403)");
            }
            case 404 -> new Unreadable(what + (isDeleted(response.body())
                    ? " is deleted or destroyed (404)" : " not found (404)"));
            default -> new Unreadable(what + ": Vault answered " + status);
        };
    }

    /** A 403 can mean an expired token as well as a denial: let the login renew; the retry will tell. */
    private void loginAgain() {
        try {
            login.rejected();
        } catch (RuntimeException e) {
            // the session logs why; the read is reported as failed either way
        }
    }

    private static Read found(String body, String what) {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            JsonNode fields = data.path("data");
            long version = data.path("metadata").path("version").asLong(0);
            if (!fields.isObject() || version < 1) {
                return new Unreadable(what + ": Vault's answer has no data or version");
            }
            Map<String, String> values = new HashMap<>();
            fields.fields().forEachRemaining(f -> values.put(f.getKey(),
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            return new Found(version, Map.copyOf(values));
        } catch (IOException e) {
            return new Unreadable(what + ": Vault's answer is not JSON");
        }
    }

    /** A deleted or destroyed version answers 404 with its metadata; an absent secret with none. */
    private static boolean isDeleted(String body) {
        try {
            JsonNode metadata = JSON.readTree(body).path("data").path("metadata");
            return metadata.isObject() && (metadata.path("destroyed").asBoolean(false)
                    || !metadata.path("deletion_time").asText("").isEmpty());
        } catch (IOException e) {
            return false;
        }
    }

    private static String encode(String path) {
        return Arrays.stream(path.split("/"))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
