package dev.rekey.inventory.support;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.SharedStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged inventory ({@code target/quarkus-app}) as a child JVM with {@code -Xmx256m}, on a database of its own
 * in the devstack's PostgreSQL and on its Kafka, trusting the devstack's tokens: what the benchmarks measure, as an
 * operator would run it; several on one database for the multi-instance ITs. Needs the package phase (the
 * benchmarks and *InstancesIT are failsafe ITs).
 */
public final class PackagedInventory implements AutoCloseable {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Path log;
    private final String api;
    private final String management;
    private final String adminToken;

    private PackagedInventory(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.api = "http://127.0.0.1:" + port + "/api/v1";
        this.management = "http://127.0.0.1:" + managementPort;
        this.adminToken = DevJwtResource.tokens().issue("bench-admin", List.of("admin"), 3600);
    }

    /** Starts the service on a fresh database {@code database} and waits until it is ready. */
    public static PackagedInventory start(String database) throws Exception {
        SharedStack.postgres().recreateDatabase(database);
        return start(database, Map.of());
    }

    /**
     * Starts one more instance on {@code database} as it is (several instances may share one, and an instance
     * started again finds what the previous one left), with {@code extraEnv} on top of the defaults, and waits until
     * it is ready.
     */
    public static PackagedInventory start(String database, Map<String, String> extraEnv) throws Exception {
        PostgresServer postgres = SharedStack.postgres();
        int port = Ports.free();
        int managementPort = Ports.free();
        Path log = Files.createTempFile("inventory-" + database + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort),
                "KAFKA_BOOTSTRAP_SERVERS", SharedStack.kafkaBootstrapServers(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database),
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", postgres.superuser(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.superuserPassword()));
        builder.environment().putAll(Map.of("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", DevJwtResource.jwksUrl(),
                "MP_JWT_VERIFY_AUDIENCES", DevTokens.AUDIENCE));
        builder.environment().putAll(extraEnv);
        PackagedInventory inventory = new PackagedInventory(builder.start(), log, port, managementPort);
        try {
            inventory.awaitReady();
        } catch (Exception | AssertionError e) {
            inventory.close();
            throw e;
        }
        return inventory;
    }

    /** {@code kill -9}: no shutdown hook, no last commit, a batch in flight left as it is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The API's base URL, {@code http://127.0.0.1:<port>/api/v1}. */
    public String api() {
        return api;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** POSTs {@code body} as admin to {@code path} (below the API's base) and asserts the status; the response body. */
    public String post(String path, String contentType, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", "Bearer " + adminToken).header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(() -> abbreviated(response.body())).isEqualTo(expected);
        return response.body();
    }

    /** The heap the service reports in use now (0 when the metrics do not answer). */
    public long heapUsed() {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(management + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            Matcher m = HEAP.matcher(text);
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return (long) sum;
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the service exited; see " + log).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(management + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not become ready; see " + log);
    }

    private static String abbreviated(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
    }
}
