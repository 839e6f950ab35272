package dev.rekey.inventory.bulk;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.inventory.support.BulkBodies;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50,000 credentials in one bulk import, as JSON and as CSV, into the packaged service running with
 * {@code -Xmx256m} (a child JVM on the devstack's PostgreSQL and Kafka). Prints each import's time and the highest
 * heap use the service reported meanwhile. On demand, after the package phase:
 * {@code ./mvnw -B -o -pl inventory-service -am verify -Dinventory.skip-benchmarks=false -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
class BulkImportBenchmarkIT {

    private static final int ROWS = 50_000;
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void fiftyThousandCredentialsAsJsonAndAsCsvWithin256MegabytesOfHeap() throws Exception {
        PostgresServer postgres = SharedStack.postgres();
        postgres.recreateDatabase("inventory_bench");
        int port = Ports.free();
        int management = Ports.free();
        Path log = Files.createTempFile("inventory-bench-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                "KAFKA_BOOTSTRAP_SERVERS", SharedStack.kafkaBootstrapServers(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl("inventory_bench"),
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("inventory_bench"),
                "QUARKUS_DATASOURCE_USERNAME", postgres.superuser(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.superuserPassword()));
        builder.environment().putAll(Map.of("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", DevJwtResource.jwksUrl(),
                "MP_JWT_VERIFY_AUDIENCES", DevTokens.AUDIENCE));
        Process service = builder.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1";
            String metrics = "http://127.0.0.1:" + management + "/q/metrics";
            awaitReady("http://127.0.0.1:" + management + "/q/health/ready", service, log);
            String token = DevJwtResource.tokens().issue("bench-admin", List.of("admin"), 3600);
            post(api + "/owners", token, "application/json",
                    "{\"id\":\"bench\",\"name\":\"Bench\",\"email\":\"bench@example.com\"}", 201);
            post(api + "/systems", token, "application/json", "{\"id\":\"bench-pg\",\"type\":\"postgresql\","
                    + "\"host\":\"db\",\"port\":5432,\"adminSecretPath\":\"secret/bench\"}", 201);
            AtomicLong peak = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(heapUsed(metrics), Math::max), 0, 100,
                    TimeUnit.MILLISECONDS);

            long json = timed(api, token, "application/json", BulkBodies.json("bench-json", ROWS, "bench-pg", "bench"));
            long csv = timed(api, token, "text/csv", BulkBodies.csv("bench-csv", ROWS, "bench-pg", "bench"));
            System.out.printf("BENCHMARK bulk import of %d credentials: JSON %d ms (%d rows/s), CSV %d ms (%d rows/s);"
                            + " service heap -Xmx256m, highest heap use sampled %d MB%n", ROWS, json,
                    ROWS * 1000L / json, csv, ROWS * 1000L / csv, peak.get() >> 20);
            assertThat(service.isAlive()).isTrue();
        } finally {
            sampler.shutdownNow();
            service.destroy();
            service.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private long timed(String api, String token, String contentType, String body) throws Exception {
        long start = System.nanoTime();
        post(api + "/credentials/bulk", token, contentType, body, 200);
        return Math.max(1, (System.nanoTime() - start) / 1_000_000);
    }

    private void post(String url, String token, String contentType, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    }

    private long heapUsed(String metrics) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
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

    private void awaitReady(String url, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(service.isAlive()).as("the service exited; see " + log).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not become ready; see " + log);
    }
}
