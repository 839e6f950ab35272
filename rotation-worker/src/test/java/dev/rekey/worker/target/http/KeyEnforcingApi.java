package dev.rekey.worker.target.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A local API-key service that really enforces its keys, as a SaaS provider would:
 * <ul>
 *   <li>{@code PUT /v1/users/{user}/keys} {@code {"key": "..."}} with {@code Authorization: Bearer <admin token>}
 *   installs a key, next to the user's others ({@code keepsOldKeys}) or instead of them;</li>
 *   <li>{@code GET /v1/users/{user}/whoami} with {@code X-Api-Key} answers 200 for a key of that user, 401 else;</li>
 *   <li>{@code DELETE /v1/users/{user}/keys/{key}} with the admin token revokes a key (404 when it has none).</li>
 * </ul>
 * An unknown user is 404, a wrong admin token 401.
 */
public final class KeyEnforcingApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final boolean keepsOldKeys;
    private final String adminToken = "adm-" + UUID.randomUUID();
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    public KeyEnforcingApi(boolean keepsOldKeys) throws IOException {
        this.keepsOldKeys = keepsOldKeys;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/v1/users/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String adminToken() {
        return adminToken;
    }

    public void createUser(String user, String key) {
        keys.put(user, ConcurrentHashMap.newKeySet());
        keys.get(user).add(key);
    }

    public void dropUser(String user) {
        keys.remove(user);
    }

    /** Whether {@code key} is a live key of {@code user} (what {@code whoami} answers). */
    public boolean accepts(String user, String key) {
        Set<String> live = keys.get(user);
        return live != null && live.contains(key);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(route(exchange), -1);
        }
    }

    private int route(HttpExchange exchange) throws IOException {
        // /v1/users/{user}/whoami | /v1/users/{user}/keys | /v1/users/{user}/keys/{key}
        List<String> path = Arrays.stream(exchange.getRequestURI().getRawPath().split("/", -1))
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        if (path.size() < 5) {
            return 404;
        }
        String user = path.get(3);
        String method = exchange.getRequestMethod();
        if (path.size() == 5 && path.get(4).equals("whoami") && method.equals("GET")) {
            return accepts(user, exchange.getRequestHeaders().getFirst("X-Api-Key")) ? 200 : 401;
        }
        if (!("Bearer " + adminToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return 401;
        }
        Set<String> live = keys.get(user);
        if (live == null) {
            return 404;
        }
        if (path.size() == 5 && path.get(4).equals("keys") && method.equals("PUT")) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!body.path("key").isTextual()) {
                return 400;
            }
            if (!keepsOldKeys) {
                live.clear();
            }
            live.add(body.path("key").asText());
            return 204;
        }
        if (path.size() == 6 && path.get(4).equals("keys") && method.equals("DELETE")) {
            return live.remove(path.get(5)) ? 204 : 404;
        }
        return 405;
    }
}
