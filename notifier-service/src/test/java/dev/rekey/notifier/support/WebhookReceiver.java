package dev.rekey.notifier.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver as an owner would run it, on 127.0.0.1: {@code /slack/<name>} takes Slack-compatible messages;
 * {@code /hooks/<name>} takes Standard Webhooks, verifies {@code webhook-signature} with the name's {@code whsec_}
 * secret (constant-time), rejects a {@code webhook-timestamp} outside ±5 minutes (400) and a bad signature (401),
 * and answers 200 without processing a {@code webhook-id} it has already seen (a duplicate or a replay). It can be
 * told to answer 500 for a while.
 */
public final class WebhookReceiver {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static WebhookReceiver shared;

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<Received> duplicates = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger failedOnPurpose = new AtomicInteger();
    private volatile boolean failing;

    /** One accepted request. */
    public record Received(String path, String webhookId, Map<String, String> headers, String body, Instant at) {
    }

    private WebhookReceiver() throws IOException {
        server = dev.rekey.devstack.HttpServers.create(InetAddress.getLoopbackAddress(), 0, 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public static synchronized WebhookReceiver shared() {
        if (shared == null) {
            try {
                shared = new WebhookReceiver();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the webhook receiver", e);
            }
        }
        return shared;
    }

    public String slackUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/slack/" + name;
    }

    /** The URL of a signed webhook whose {@code whsec_} secret is {@code secret}. */
    public String webhookUrl(String name, String secret) {
        secrets.put("/hooks/" + name, secret);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + name;
    }

    /** While true, every request is answered 500 (and not processed). */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    public int failedOnPurpose() {
        return failedOnPurpose.get();
    }

    public List<Received> accepted(String url) {
        String path = URI.create(url).getPath();
        return accepted.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> allAccepted() {
        return List.copyOf(accepted);
    }

    public List<Received> duplicates(String url) {
        String path = URI.create(url).getPath();
        return duplicates.stream().filter(r -> r.path().equals(path)).toList();
    }

    public int rejected() {
        return rejected.get();
    }

    /** Sends an accepted request again, byte for byte, as an attacker who recorded it would; the status answered. */
    public int replay(Received received, String url) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(received.body()));
        received.headers().forEach((name, value) -> {
            if (name.startsWith("webhook-") || name.equals("content-type")) {
                request.header(name, value);
            }
        });
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A new random {@code whsec_} secret of 32 bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        if (failing) {
            failedOnPurpose.incrementAndGet();
            answer(exchange, 500);
            return;
        }
        if (path.startsWith("/slack/")) {
            String id = "slack-" + headers.getOrDefault("x-rekey-delivery-id", "none");
            record(exchange, new Received(path, id, headers, body, Instant.now()));
            return;
        }
        String secret = secrets.get(path);
        if (secret == null) {
            answer(exchange, 404);
            return;
        }
        String refusal = verify(secret, headers, body, Instant.now());
        if (refusal != null) {
            rejected.incrementAndGet();
            answer(exchange, refusal.startsWith("timestamp") ? 400 : 401);
            return;
        }
        record(exchange, new Received(path, headers.get("webhook-id"), headers, body, Instant.now()));
    }

    private void record(HttpExchange exchange, Received received) throws IOException {
        if (seenIds.add(received.path() + "|" + received.webhookId())) {
            accepted.add(received);
        } else {
            duplicates.add(received); // already processed: acknowledge, do nothing
        }
        answer(exchange, 200);
    }

    /** Standard Webhooks verification; the reason it fails, or null. */
    static String verify(String secret, Map<String, String> headers, String body, Instant now) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return "missing webhook headers";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "timestamp is not an integer";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return "timestamp outside the tolerance";
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            expected = Base64.getEncoder().encode(mac.doFinal((id + "." + timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            return "cannot compute the signature";
        }
        List<String> candidates = new ArrayList<>(List.of(signatures.split(" ")));
        for (String candidate : candidates) {
            String[] parts = candidate.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.UTF_8), expected)) {
                return null;
            }
        }
        return "no matching signature";
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
