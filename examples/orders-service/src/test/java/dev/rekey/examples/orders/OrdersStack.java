package dev.rekey.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.Ports;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.launcher.LocalStack;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The real system for the load test: the devstack's {@link LocalStack} (Kafka, PostgreSQL, the Vault dev server and
 * the packaged inventory, worker and notifier), the example's two database logins registered in the inventory as
 * rekey credentials, and the packaged orders-service started as its own JVM with its logins from rekey.
 */
final class OrdersStack implements AutoCloseable {

    static final String OWNER = "team-orders";
    static final String SYSTEM = "pg-orders";
    /** Where the worker's policy lets it read a system's admin login (deploy/vault/policies/rotation-worker.hcl). */
    static final String ADMIN_SECRET = "rekey/admin/" + SYSTEM;
    /** The service's AppRole, with the policy of least-privilege/vault-policy.hcl. */
    static final String APP_ROLE = "orders-service";

    /** A rekey credential of the example: the role(s) and where Vault keeps its value. */
    record ExampleCredential(String id, String vaultPath, String strategy, String role, String alternateRole,
                             String table) {

        String location() {
            return "secret/" + vaultPath;
        }
    }

    static final ExampleCredential LIVE = new ExampleCredential("orders-db", "apps/orders/db", "in-place",
            "orders_app", null, "orders");
    static final ExampleCredential ARCHIVE = new ExampleCredential("orders-archive-db", "apps/orders/archive-db",
            "alternating", "orders_archive_a", "orders_archive_b", "archived_orders");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION_GAUGE =
            Pattern.compile("rekey_client_credential_version\\{credential=\"([^\"]+)\"[^}]*} ([0-9.E]+)");

    private final LocalStack stack;
    private final Vault vault;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminToken = DevTokens.issue("example-admin", List.of("admin"), 7200);
    private final String commanderToken = DevTokens.issue("example-commander", List.of("incident-commander"), 7200);
    private final KafkaProducer<String, String> producer;
    private final Set<String> registered = new HashSet<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private AppRoleLogin appLogin;
    private Process app;
    private Path appLog;
    private String appUrl;
    private String managementUrl;
    private Boolean rotateEndpoint;

    private OrdersStack(LocalStack stack) throws Exception {
        this.stack = stack;
        this.vault = Vault.create(new VaultConfig().address(stack.vaultAddress()).token(stack.vaultToken())
                .engineVersion(2).build());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.env().get("KAFKA_BOOTSTRAP_SERVERS"),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    static OrdersStack start(Path root, Path workDir, Consumer<String> progress) throws Exception {
        LocalStack stack = LocalStack.start(root, workDir, progress);
        OrdersStack orders = null;
        try {
            orders = new OrdersStack(stack);
            orders.seed();
            orders.appLogin = orders.appRole(
                    Files.readString(root.resolve("examples/orders-service/least-privilege/vault-policy.hcl")));
            orders.startApp(root.resolve("examples/orders-service/target/quarkus-app/quarkus-run.jar"), workDir);
            return orders;
        } catch (Exception | Error e) {
            if (orders != null) {
                orders.close();
            } else {
                stack.close();
            }
            throw e;
        }
    }

    /** The roles and tables in the downstream database, their values in Vault, the credentials in the inventory. */
    private void seed() throws Exception {
        SecureRandom random = new SecureRandom();
        vault.logical().write("secret/" + ADMIN_SECRET, Map.of("username", stack.postgres().superuser(),
                "password", stack.postgres().superuserPassword()));
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String role : List.of(LIVE.role(), ARCHIVE.role(), ARCHIVE.alternateRole())) {
            passwords.put(role, randomPassword(random));
        }
        try (Connection db = stack.postgres().connect(LocalStack.DOWNSTREAM_DATABASE);
             Statement sql = db.createStatement()) {
            for (ExampleCredential c : List.of(LIVE, ARCHIVE)) {
                sql.execute("CREATE TABLE IF NOT EXISTS " + c.table() + " (id bigserial PRIMARY KEY, total numeric)");
                sql.execute("INSERT INTO " + c.table() + " (total) SELECT g * 1.5 FROM generate_series(1, 100) g");
            }
            passwords.forEach((role, password) -> {
                try {
                    sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
                    sql.execute("GRANT SELECT ON orders, archived_orders TO " + role);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create role " + role, e);
                }
            });
        }
        vault.logical().write(LIVE.location(), Map.of("username", LIVE.role(), "password",
                passwords.get(LIVE.role())));
        vault.logical().write(ARCHIVE.location(), Map.of("username", ARCHIVE.role(), "password",
                passwords.get(ARCHIVE.role())));

        post("/owners", adminToken, Map.of("id", OWNER, "name", "Team Orders", "email", "orders@example.rekey.dev"));
        post("/systems", adminToken, Map.of("id", SYSTEM, "type", "postgresql", "host", stack.postgres().host(),
                "port", stack.postgres().port(), "database", LocalStack.DOWNSTREAM_DATABASE,
                "adminSecretPath", "secret/" + ADMIN_SECRET, "maxConcurrentRotations", 4, "tags", List.of("example")));
        for (ExampleCredential c : List.of(LIVE, ARCHIVE)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", c.id());
            body.put("name", c.role() + " login of orders-service");
            body.put("kind", "postgresql-role");
            body.put("vaultMount", "secret");
            body.put("vaultPath", c.vaultPath());
            body.put("username", c.role());
            if (c.alternateRole() != null) {
                body.put("alternateUsername", c.alternateRole());
            }
            body.put("systemId", SYSTEM);
            body.put("ownerId", OWNER);
            body.put("tags", List.of("example"));
            body.put("exposedVia", List.of("github"));
            body.put("grantsAccessTo", List.of(SYSTEM));
            body.put("rotationPolicy", Map.of("maxAgeDays", 90, "generator", "password:32", "strategy", c.strategy()));
            HttpResponse<String> response = post("/credentials", adminToken, body);
            if (response.statusCode() / 100 == 2) {
                registered.add(c.id());
            } else if (response.statusCode() / 100 == 4) {
                problems.put(c.id(), "the inventory refused credential " + c.id() + " (strategy " + c.strategy()
                        + "): " + response.statusCode() + " " + response.body());
            } else {
                throw new IllegalStateException("POST /credentials answered " + response.statusCode());
            }
        }
        if (!registered.contains(LIVE.id())) {
            throw new IllegalStateException(problems.get(LIVE.id()));
        }
    }

    /** The service's Vault login: role id and secret id of its AppRole; never printed. */
    record AppRoleLogin(String roleId, String secretId) {

        @Override
        public String toString() {
            return "AppRoleLogin[redacted]";
        }
    }

    /** Writes the service's policy and AppRole role in the dev server (AppRole is enabled by LocalStack). */
    private AppRoleLogin appRole(String policy) throws Exception {
        vaultCall("PUT", "sys/policies/acl/" + APP_ROLE, Map.of("policy", policy), stack.vaultToken());
        vaultCall("POST", "auth/approle/role/" + APP_ROLE, Map.of("token_policies", List.of(APP_ROLE),
                "token_ttl", 1200, "token_max_ttl", 14400, "secret_id_ttl", 0, "secret_id_num_uses", 0),
                stack.vaultToken());
        String roleId = vaultCall("GET", "auth/approle/role/" + APP_ROLE + "/role-id", null, stack.vaultToken())
                .path("data").path("role_id").asText();
        String secretId = vaultCall("POST", "auth/approle/role/" + APP_ROLE + "/secret-id", Map.of(),
                stack.vaultToken()).path("data").path("secret_id").asText();
        return new AppRoleLogin(roleId, secretId);
    }

    /** Logs in as the service (its AppRole) and reads a secret: the status Vault answers. */
    int readAsService(String location) throws Exception {
        String token = vaultCall("POST", "auth/approle/login", Map.of("role_id", appLogin.roleId(),
                "secret_id", appLogin.secretId()), null).path("auth").path("client_token").asText();
        String mount = location.substring(0, location.indexOf('/'));
        String path = location.substring(location.indexOf('/') + 1);
        return http.send(HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + mount + "/data/" + path))
                .timeout(Duration.ofSeconds(10)).header("X-Vault-Token", token).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode vaultCall(String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Vault answered " + response.statusCode() + " to " + method + " " + path);
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private void startApp(Path jar, Path workDir) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
        }
        int port = Ports.free();
        int management = Ports.free();
        String jdbc = stack.postgres().jdbcUrl(LocalStack.DOWNSTREAM_DATABASE);
        String reactive = stack.postgres().reactiveUrl(LocalStack.DOWNSTREAM_DATABASE);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                "-Dkafka.bootstrap.servers=" + stack.env().get("KAFKA_BOOTSTRAP_SERVERS"),
                "-Dvault.addr=" + stack.vaultAddress(),
                "-Dquarkus.datasource.jdbc.url=" + jdbc, "-Dquarkus.datasource.reactive.url=" + reactive,
                "-Dquarkus.datasource.archive.jdbc.url=" + jdbc, "-Dquarkus.datasource.archive.reactive.url=" + reactive));
        // connections opened all the time: each one lives at most 2 s, pools of 4
        for (String ds : List.of("quarkus.datasource.", "quarkus.datasource.archive.")) {
            command.addAll(List.of("-D" + ds + "jdbc.max-lifetime=2S", "-D" + ds + "jdbc.max-size=4",
                    "-D" + ds + "reactive.max-lifetime=2S", "-D" + ds + "reactive.max-size=4"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        appLog = workDir.resolve("logs/orders-service.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(appLog.toFile()));
        // its own AppRole (least privilege), by environment rather than on a command line that ps shows
        builder.environment().put("VAULT_APPROLE_ROLE_ID", appLogin.roleId());
        builder.environment().put("VAULT_APPROLE_SECRET_ID", appLogin.secretId());
        app = builder.start();
        appUrl = "http://127.0.0.1:" + port;
        managementUrl = "http://127.0.0.1:" + management;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            if (!app.isAlive()) {
                throw new IllegalStateException("orders-service exited:\n" + tail(appLog));
            }
            return get(managementUrl + "/q/health/ready").statusCode() == 200;
        });
    }

    String appUrl() {
        return appUrl;
    }

    Path appLog() {
        return appLog;
    }

    Path workDir() {
        return stack.workDir();
    }

    /** Why a credential could not be registered, if it could not. */
    String registrationProblem(ExampleCredential c) {
        return problems.get(c.id());
    }

    /** How the manual rotations are asked for. */
    String manualRotationPath() {
        return Boolean.TRUE.equals(rotateEndpoint) ? "POST /api/v1/credentials/{id}/rotate"
                : "rotation-due records on " + Topics.ROTATION_DUE_URGENT + " (no rotate endpoint in the inventory)";
    }

    /**
     * A manual rotation, through the inventory's rotate endpoint when it has one, else by producing the rotation-due
     * record the inventory would produce; returns the new version once it is in Vault.
     */
    long rotateManually(ExampleCredential c) throws Exception {
        long before = vaultVersion(c);
        if (rotateEndpoint == null || rotateEndpoint) {
            HttpResponse<String> response = post("/credentials/" + c.id() + "/rotate", adminToken, Map.of());
            rotateEndpoint = response.statusCode() / 100 == 2;
            if (!rotateEndpoint && response.statusCode() != 404 && response.statusCode() != 405) {
                throw new IllegalStateException("rotate answered " + response.statusCode() + ": " + response.body());
            }
        }
        if (!rotateEndpoint) {
            publishRotationDue(c, Cause.manual(), false);
        }
        return awaitVaultVersionAbove(c, before);
    }

    /** Reports a breach of this one credential (its sessions are ended); returns the new version once in Vault. */
    long reportBreach(ExampleCredential c) throws Exception {
        long before = vaultVersion(c);
        HttpResponse<String> response = post("/breaches", commanderToken, Map.of(
                "title", "orders login leaked", "reason", "found in a public repository",
                "selector", Map.of("credentialIds", List.of(c.id()))));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST /breaches answered " + response.statusCode() + ": " + response.body());
        }
        String breachId = JSON.readTree(response.body()).path("id").asText();
        long version = awaitVaultVersionAbove(c, before);
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            JsonNode breach = JSON.readTree(get(stack.inventoryUrl() + "/api/v1/breaches/" + breachId,
                    commanderToken).body());
            return breach.path("pending").asInt(1) == 0;
        });
        return version;
    }

    private void publishRotationDue(ExampleCredential c, Cause cause, boolean terminateSessions) throws Exception {
        RotationDue due = new RotationDue(UUID.randomUUID(), c.id(), cause,
                new RotationDue.Credential("postgresql-role", "secret", c.vaultPath(), c.role(), SYSTEM,
                        c.alternateRole()),
                new RotationDue.Target("postgresql", stack.postgres().host(), stack.postgres().port(),
                        LocalStack.DOWNSTREAM_DATABASE, "secret/" + ADMIN_SECRET, 4),
                new RotationDue.Policy("password:32", c.strategy()),
                new OwnerRef(OWNER, "orders@example.rekey.dev"), terminateSessions, Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ROTATION_DUE_URGENT, due.recordKey(),
                EventJson.encode(due));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_source", EventTypes.SOURCE_INVENTORY);
        header(record, "ce_type", EventTypes.ROTATION_DUE);
        header(record, "ce_subject", c.id());
        header(record, "ce_time", Instant.now().toString());
        header(record, "content-type", EventTypes.DATA_CONTENT_TYPE);
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The current version and user of the credential's secret in Vault. */
    long vaultVersion(ExampleCredential c) throws Exception {
        return vault.logical().read(c.location()).getDataMetadata().getVersion();
    }

    String vaultUsername(ExampleCredential c) throws Exception {
        return vault.logical().read(c.location()).getData().get("username");
    }

    /** The value of one version (Vault keeps the last 10), to look for it in the logs. */
    String vaultValue(ExampleCredential c, long version) throws Exception {
        return vault.logical().read(c.location(), true, (int) version).getData().get("password");
    }

    private long awaitVaultVersionAbove(ExampleCredential c, long before) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> vaultVersion(c), v -> v > before);
    }

    /** The version the service holds, from its rekey_client_credential_version gauge. */
    long appVersion(ExampleCredential c) throws Exception {
        Matcher m = VERSION_GAUGE.matcher(get(managementUrl + "/q/metrics").body());
        while (m.find()) {
            if (m.group(1).equals(c.id())) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /** A metric of the service's /q/metrics summed over its series, e.g. agroal_creation_count_total. */
    double appMetric(String name, String datasource) throws Exception {
        double sum = 0;
        for (String line : get(managementUrl + "/q/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains("datasource=\"" + datasource + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** One request to the service, outside the load. */
    int requestStatus(String path) throws Exception {
        return get(appUrl + path).statusCode();
    }

    private HttpResponse<String> post(String path, String token, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.inventoryUrl() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String randomPassword(SecureRandom random) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    @Override
    public void close() {
        if (app != null) {
            app.destroy();
            try {
                if (!app.waitFor(20, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            } catch (InterruptedException e) {
                app.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        producer.close();
        stack.close();
    }
}
