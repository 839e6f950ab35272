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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged inventory ({@code target/quarkus-app/quarkus-run.jar}, after the package phase) as a child JVM with
 * {@code -Xmx256m} on the devstack's PostgreSQL and Kafka, configured through environment variables as in
 * production. Only the processes started here are ever stopped or killed, by their own handle.
 */
public final class InventoryProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int managementPort;
    private final Path log;

    private InventoryProcess(String name, Process process, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts an instance on {@code database} and waits until it is ready. */
    public static InventoryProcess start(String name, String database, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: " + jar.toAbsolutePath() + " is missing");
        }
        Path log = Path.of("target", "it-logs", name + ".log");
        Files.createDirectories(log.getParent());
        PostgresServer postgres = SharedStack.postgres();
        int management = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(Ports.free()),
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                "KAFKA_BOOTSTRAP_SERVERS", SharedStack.kafkaBootstrapServers(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database),
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", postgres.superuser(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.superuserPassword()));
        env.putAll(Map.of("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", DevJwtResource.jwksUrl(),
                "MP_JWT_VERIFY_AUDIENCES", DevTokens.AUDIENCE));
        env.putAll(extraEnv);
        builder.environment().putAll(env);
        InventoryProcess started = new InventoryProcess(name, builder.start(), management, log);
        started.awaitReady(Duration.ofMinutes(3));
        return started;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    /** {@code kill -9}: no shutdown hook, no last commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** Closes all, in order, whatever fails. */
    public static void closeAll(List<InventoryProcess> processes) throws InterruptedException {
        for (InventoryProcess p : processes) {
            if (p != null) {
                p.close();
            }
        }
    }
}
