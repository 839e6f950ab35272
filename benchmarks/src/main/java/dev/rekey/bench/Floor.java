package dev.rekey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.devstack.downstream.DownstreamAccounts;
import dev.rekey.devstack.downstream.Login;
import dev.rekey.devstack.downstream.MariaDbAccounts;
import dev.rekey.devstack.downstream.RedisAccounts;
import dev.rekey.devstack.downstream.RespClient;
import dev.rekey.devstack.downstream.Secrets;
import org.postgresql.util.PasswordUtil;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor: the Vault and downstream work of one breach rotation done directly in a tight loop, without Kafka, the
 * inventory or the protocol's bookkeeping around it. Per rotation, as the worker does it: read the secret's current
 * version, read and write its pending record (check-and-set), set the new value downstream on a pooled admin
 * session (sent hashed as the worker sends it) and end the user's sessions, log in with the new value on a new
 * connection, commit by check-and-set, merge the rotation into the custom metadata, tombstone the pending record.
 * It rotates its own users (never the campaign's), at each concurrency level; the best level is the floor.
 */
final class Floor {

    /** One level's result. */
    record Level(int concurrency, int rotations, double seconds) {
        double rate() {
            return rotations / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MOUNT = "secret";

    private final String type;
    private final DownstreamAccounts accounts;
    private final String pgJdbcUrl;
    private final String vaultAddress;
    private final String vaultToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> users = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final String prefix;

    Floor(String type, DownstreamAccounts accounts, String pgJdbcUrl, String vaultAddress, String vaultToken,
          String prefix) {
        this.type = type;
        this.accounts = accounts;
        this.pgJdbcUrl = pgJdbcUrl;
        this.vaultAddress = vaultAddress;
        this.vaultToken = vaultToken;
        this.prefix = prefix;
    }

    /** Makes {@code count} users of its own, each with a secret in Vault. */
    void prepare(int count) throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String user = prefix + "floor_" + i;
            users.add(user);
            passwords.put(user, Secrets.password());
        }
        if (accounts != null) {
            accounts.createUsers(passwords);
        }
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("data").put("username", user.getKey()).put("password", user.getValue());
            vault("POST", dataPath(user.getKey()), body);
        }
    }

    /** Vault calls sent again after the connection closed under them. */
    int retries() {
        return retries.get();
    }

    /** {@code rotations} rotations at {@code concurrency}, after a short warm-up. */
    Level run(int concurrency, int rotations) throws Exception {
        if (users.size() < 2 * concurrency) {
            throw new IllegalStateException("the floor needs at least " + 2 * concurrency + " users");
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger warm = new AtomicInteger();
            // each user is rotated by one thread at a time: a thread that stalls for a lap of the list must not meet
            // another one on its user (their check-and-set writes of the pending record would conflict)
            java.util.concurrent.BlockingQueue<String> idle = new java.util.concurrent.ArrayBlockingQueue<>(users.size());
            idle.addAll(users.subList(concurrency, users.size()));
            List<Future<Void>> workers = new ArrayList<>();
            long[] start = new long[1];
            java.util.concurrent.CyclicBarrier ready = new java.util.concurrent.CyclicBarrier(concurrency,
                    () -> start[0] = System.nanoTime());
            for (int t = 0; t < concurrency; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    try (Session session = session()) {
                        // warm-up: this thread's session, its first login and Vault connection
                        rotate(session, users.get(thread));
                        idle.put(users.get(thread));
                        warm.incrementAndGet();
                        ready.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        while (next.getAndIncrement() < rotations) {
                            String user = idle.take();
                            try {
                                rotate(session, user);
                            } finally {
                                idle.put(user);
                            }
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(300);
            for (Future<Void> worker : workers) {
                worker.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            return new Level(concurrency, rotations, (System.nanoTime() - start[0]) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private void rotate(Session session, String user) throws Exception {
        String rotationId = UUID.randomUUID().toString();
        String value = Secrets.password() + Secrets.password().substring(0, 8); // 32 characters, as password:32
        JsonNode current = vault("GET", dataPath(user), null);
        long version = current.path("data").path("metadata").path("version").asLong();
        JsonNode pending = vault("GET", pendingDataPath(user), null);
        long pendingVersion = pending.path("data").path("metadata").path("version").asLong(0);
        ObjectNode record = JSON.createObjectNode();
        record.putObject("data").put("rotation_id", rotationId).put("username", user).put("value", value)
                .put("secret_version", version).put("lease_until", java.time.Instant.now().plusSeconds(20).toString());
        record.putObject("options").put("cas", pendingVersion);
        long recordVersion = vault("POST", pendingDataPath(user), record).path("data").path("version").asLong();
        session.set(user, value);
        if (accounts != null && !accounts.logsIn(user, value)) {
            throw new IllegalStateException("the floor's new value of " + user + " does not log in");
        }
        ObjectNode commit = JSON.createObjectNode();
        commit.putObject("data").put("username", user).put("password", value).put("rotation_id", rotationId);
        commit.putObject("options").put("cas", version);
        vault("POST", dataPath(user), commit);
        ObjectNode metadata = JSON.createObjectNode();
        metadata.putObject("custom_metadata").put("rekey_r_" + rotationId, Long.toString(version + 1));
        vault("PATCH", "/v1/" + MOUNT + "/metadata/bench-floor/" + user, metadata);
        ObjectNode tombstone = JSON.createObjectNode();
        tombstone.putObject("data").put("done_rotation_id", rotationId)
                .put("secret_version_at_least", Long.toString(version + 1));
        tombstone.putObject("options").put("cas", recordVersion);
        vault("POST", pendingDataPath(user), tombstone);
    }

    private static String dataPath(String user) {
        return "/v1/" + MOUNT + "/data/bench-floor/" + user;
    }

    private static String pendingDataPath(String user) {
        return "/v1/" + MOUNT + "/data/rekey-pending/bench-floor/" + user;
    }

    private JsonNode vault(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vaultAddress + path))
                .timeout(Duration.ofSeconds(10)).header("X-Vault-Token", vaultToken);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response = null;
        HttpClient client = http;
        for (int attempt = 1; response == null; attempt++) {
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // the dev server (the JDK's HttpServer) closes kept-alive connections the client still pools: the
                // request got no answer, so it did not run; again on a client of its own, with a new connection
                if (attempt >= 3) {
                    throw e;
                }
                retries.incrementAndGet();
                client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
            }
        }
        if (response.statusCode() == 404 && method.equals("GET")) {
            return JSON.createObjectNode();
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Vault answered " + response.statusCode() + " to " + method + " " + path);
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Removes the floor's users. */
    void cleanup() {
        if (accounts != null && !users.isEmpty()) {
            try {
                accounts.dropUsers(users);
            } catch (Exception ignored) {
                // best effort: the names carry the run's tag
            }
        }
    }

    /** A pooled admin session of the downstream, one per thread, as the worker pools them per system. */
    private interface Session extends AutoCloseable {
        void set(String user, String value) throws Exception;

        @Override
        void close() throws Exception;
    }

    private Session session() throws Exception {
        Login admin = accounts == null ? null : accounts.admin();
        return switch (type) {
            case "postgresql" -> {
                Connection c = DriverManager.getConnection(pgJdbcUrl, admin.username(), admin.password());
                yield new Session() {
                    @Override
                    public void set(String user, String value) throws SQLException {
                        try (Statement s = c.createStatement()) {
                            s.execute("ALTER ROLE \"" + user + "\" PASSWORD '"
                                    + PasswordUtil.encodeScramSha256(value.toCharArray()) + "'");
                        }
                        try (PreparedStatement terminate = c.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                                + " FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
                            terminate.setString(1, user);
                            terminate.executeQuery().close();
                        }
                    }

                    @Override
                    public void close() throws SQLException {
                        c.close();
                    }
                };
            }
            case "mariadb" -> {
                Connection c = DriverManager.getConnection("jdbc:mariadb://" + MariaDbAccounts.HOST + ":"
                        + MariaDbAccounts.PORT + "/", admin.username(), admin.password());
                yield new Session() {
                    @Override
                    public void set(String user, String value) throws Exception {
                        try (Statement s = c.createStatement()) {
                            s.execute("ALTER USER '" + user + "'@'%' IDENTIFIED WITH mysql_native_password AS '"
                                    + nativePasswordHash(value) + "'");
                        }
                        try (PreparedStatement list = c.prepareStatement(
                                "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")) {
                            list.setString(1, user);
                            try (ResultSet rs = list.executeQuery()) {
                                while (rs.next()) {
                                    try (Statement kill = c.createStatement()) {
                                        kill.execute("KILL CONNECTION " + rs.getLong(1));
                                    }
                                }
                            }
                        }
                    }

                    @Override
                    public void close() throws SQLException {
                        c.close();
                    }
                };
            }
            case "redis" -> {
                RespClient redis = RespClient.open(RedisAccounts.HOST, RedisAccounts.PORT, Duration.ofSeconds(5));
                redis.call("AUTH", admin.username(), admin.password());
                yield new Session() {
                    @Override
                    public void set(String user, String value) throws Exception {
                        redis.call("ACL", "SETUSER", user, "resetpass", "#" + sha256(value));
                        redis.call("CLIENT", "KILL", "USER", user);
                    }

                    @Override
                    public void close() throws IOException {
                        redis.close();
                    }
                };
            }
            case "vault-kv" -> new Session() {
                @Override
                public void set(String user, String value) {
                    // the secret in Vault is the credential: the commit is the change
                }

                @Override
                public void close() {
                }
            };
            default -> throw new IllegalArgumentException("no floor for " + type);
        };
    }

    static String sha256(String value) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** MySQL's mysql_native_password hash: {@code *} and the upper-case hex of SHA1(SHA1(password)). */
    static String nativePasswordHash(String value) throws NoSuchAlgorithmException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(value.getBytes(StandardCharsets.UTF_8));
        return "*" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(once)).toUpperCase(Locale.ROOT);
    }
}
