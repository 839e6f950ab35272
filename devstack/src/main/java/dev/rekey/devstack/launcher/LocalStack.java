package dev.rekey.devstack.launcher;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.smtp.SmtpCapture;
import dev.rekey.devstack.vault.VaultDevServer;
import dev.rekey.devstack.vault.VaultSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole system on this machine without Docker: a Kafka node (child JVM), PostgreSQL (zonky), the Vault dev
 * server and the SMTP capture (in this JVM), and the three services as child JVMs running their packaged
 * {@code quarkus-run.jar}. Every start is fresh: the Vault dev server keeps its state in memory, so the other stores
 * start empty too, to stay consistent with it.
 */
public final class LocalStack implements AutoCloseable {

    /** The three services, in start order, with the database each one owns (null: none). */
    static final List<String> SERVICES = List.of("inventory-service", "rotation-worker", "notifier-service");
    /** Database of the demo's downstream PostgreSQL roles. */
    public static final String DOWNSTREAM_DATABASE = "appdb";
    static final int KAFKA_PARTITIONS = 8;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path workDir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private PostgresServer postgres;
    private VaultDevServer vault;
    /** Each service's AppRole login: kept in memory and in the services' environment only, never on disk. */
    private Map<String, VaultSetup.AppRoleLogin> vaultLogins = Map.of();
    private SmtpCapture smtp;
    private String kafkaBootstrap;

    private LocalStack(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Starts everything; {@code root} is the project root (where the services' {@code target/} folders are),
     * {@code workDir} receives {@code stack.env}, {@code logs/}, {@code mail/} and the stores' data.
     */
    public static LocalStack start(Path root, Path workDir, Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack(workDir);
        try {
            stack.startAll(root, progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private final int workerManagementPort = Ports.free();

    private void startAll(Path root, Consumer<String> progress) throws Exception {
        List<Path> jars = SERVICES.stream()
                .map(s -> root.resolve(s).resolve("target/quarkus-app/quarkus-run.jar")).toList();
        for (Path jar : jars) {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
            }
        }
        resetWorkDir();
        progress.accept("starting Kafka, PostgreSQL, Vault dev server, SMTP capture");
        ChildProcess kafka = startKafka();
        postgres = PostgresServer.startEmbedded(workDir.resolve("data/postgres"), 0);
        running.add(postgres);
        vault = VaultDevServer.start(0, "dev-root-" + UUID.randomUUID());
        running.add(vault);
        vaultLogins = VaultSetup.forVault(vault.address(), vault.rootToken()).apply();
        smtp = SmtpCapture.start(0, workDir.resolve("mail"));
        running.add(smtp);
        for (String db : List.of("rekey_inventory", "rekey_notifier", DOWNSTREAM_DATABASE)) {
            postgres.createDatabase(db);
        }
        kafka.awaitLogLine("READY ", START_TIMEOUT);
        kafkaBootstrap = Files.readAllLines(kafka.log()).stream()
                .filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().substring(6).trim();

        progress.accept("starting inventory-service, rotation-worker, notifier-service");
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            int port = Ports.free();
            ports.put(service, port);
            ChildProcess child = ChildProcess.startJava(service, List.of("-Xmx384m", "-XX:+UseSerialGC"),
                    List.of("-jar", jars.get(i).toString()), serviceEnv(service, port),
                    workDir.resolve("logs/" + service + ".log"));
            services.put(service, child);
            running.add(child);
        }
        List<CompletableFuture<Void>> ready = services.entrySet().stream()
                .map(e -> CompletableFuture.runAsync(() -> e.getValue().awaitHttpOk(
                        readinessUrl(e.getKey(), ports.get(e.getKey())), START_TIMEOUT)))
                .toList();
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();

        env.put("INVENTORY_URL", "http://127.0.0.1:" + ports.get("inventory-service"));
        env.put("WORKER_URL", "http://127.0.0.1:" + ports.get("rotation-worker"));
        env.put("NOTIFIER_URL", "http://127.0.0.1:" + ports.get("notifier-service"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("VAULT_ADDR", vault.address());
        env.put("VAULT_TOKEN", vault.rootToken());
        env.put("PG_URL", postgres.superuserUrl(DOWNSTREAM_DATABASE));
        env.put("SMTP_HOST", smtp.host());
        env.put("SMTP_PORT", String.valueOf(smtp.port()));
        StringBuilder file = new StringBuilder("# written by ./rekey up; source it from a shell\n");
        env.forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        Files.writeString(workDir.resolve("stack.env"), file);
    }

    private ChildProcess startKafka() throws IOException {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("logging.configuration") != null) {
            jvmArgs.add("-Dlogging.configuration=" + System.getProperty("logging.configuration"));
        }
        ChildProcess kafka = ChildProcess.startJava("kafka", jvmArgs,
                List.of("dev.rekey.devstack.kafka.KafkaMain", workDir.resolve("data/kafka").toString(),
                        String.valueOf(Ports.free()), String.valueOf(KAFKA_PARTITIONS)),
                Map.of(), workDir.resolve("logs/kafka.log"));
        running.add(kafka);
        return kafka;
    }

    private Map<String, String> serviceEnv(String service, int port) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        vars.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        vars.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        // Each service logs in to Vault with its own AppRole and least-privilege policy (deploy/vault/policies).
        vars.put("VAULT_ADDR", vault.address());
        vars.put("VAULT_APPROLE_ROLE_ID", vaultLogins.get(service).roleId());
        vars.put("VAULT_APPROLE_SECRET_ID", vaultLogins.get(service).secretId());
        switch (service) {
            case "inventory-service" -> {
                datasource(vars, "rekey_inventory");
                vars.put("MP_JWT_VERIFY_PUBLICKEY", DevTokens.publicKeyPem());
                vars.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
            }
            // health on the management interface (NAMES.md); Vault through the AppRole above
            case "rotation-worker" -> vars.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(workerManagementPort));
            case "notifier-service" -> {
                datasource(vars, "rekey_notifier");
                vars.put("QUARKUS_MAILER_HOST", smtp.host());
                vars.put("QUARKUS_MAILER_PORT", String.valueOf(smtp.port()));
                vars.put("QUARKUS_MAILER_FROM", "rekey@localhost");
            }
            default -> throw new IllegalArgumentException(service);
        }
        return vars;
    }

    /** The worker serves health on the management interface (NAMES.md); the others still on their HTTP port. */
    private String readinessUrl(String service, int port) {
        return "http://127.0.0.1:" + (service.equals("rotation-worker") ? workerManagementPort : port)
                + "/q/health/ready";
    }

    private void datasource(Map<String, String> vars, String database) {
        vars.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        vars.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        vars.put("QUARKUS_DATASOURCE_USERNAME", postgres.superuser());
        vars.put("QUARKUS_DATASOURCE_PASSWORD", postgres.superuserPassword());
    }

    private void resetWorkDir() throws IOException {
        for (String sub : List.of("data", "logs", "mail")) {
            Path dir = workDir.resolve(sub);
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        }
    }

    /** The {@code KEY=VALUE} pairs written to {@code stack.env}. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public String inventoryUrl() {
        return env.get("INVENTORY_URL");
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public String vaultAddress() {
        return vault.address();
    }

    public String vaultToken() {
        return vault.rootToken();
    }

    public Path mailDir() {
        return smtp.mailDir();
    }

    public Path workDir() {
        return workDir;
    }

    /** Child process ids, for {@code ./rekey down} after a launcher crash. */
    public List<Long> childPids() {
        return services.values().stream().map(ChildProcess::pid).toList();
    }

    /**
     * Stops everything, services first. The services stop side by side: each takes seconds to leave its consumer
     * groups, and one after the other they would add up.
     */
    @Override
    public synchronized void close() {
        services.values().forEach(ChildProcess::requestStop);
        List<AutoCloseable> reversed = new ArrayList<>(running);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception ignored) {
                // keep stopping the rest
            }
        }
        running.clear();
    }
}
