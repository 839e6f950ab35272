package dev.rekey.devstack.launcher;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.auth.JwksServer;
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
    /** Folder of the work directory that holds the stack's token signing key ({@link DevKeyPair}). */
    public static final String JWT_DIR = "jwt";
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
    private DevKeyPair jwtKeys;
    private JwksServer jwks;
    private String kafkaBootstrap;

    private final Options options;

    /**
     * How the services run: each one's {@code -Xmx}, how many rotation-worker processes join the consumer group, and
     * extra JVM flags per service (e.g. a JFR recording), by service name ({@code inventory-service},
     * {@code rotation-worker}, {@code notifier-service}; every worker process gets the worker's flags, with
     * {@code {name}} replaced by its process name such as {@code rotation-worker-2}).
     */
    public record Options(String heap, int workers, Map<String, List<String>> jvmFlags) {

        public Options {
            if (workers < 1) {
                throw new IllegalArgumentException("at least one worker");
            }
            jvmFlags = Map.copyOf(jvmFlags);
        }

        /** What {@code ./rekey up} and the demo run: -Xmx384m, one worker, no extra flags. */
        public static Options defaults() {
            return new Options("384m", 1, Map.of());
        }
    }

    private LocalStack(Path workDir, Options options) {
        this.workDir = workDir;
        this.options = options;
    }

    /**
     * Starts everything; {@code root} is the project root (where the services' {@code target/} folders are),
     * {@code workDir} receives {@code stack.env}, {@code logs/}, {@code mail/} and the stores' data.
     */
    public static LocalStack start(Path root, Path workDir, Consumer<String> progress) throws Exception {
        return start(root, workDir, progress, Options.defaults());
    }

    /** As {@link #start(Path, Path, Consumer)}, with the services' heap, worker count and JVM flags of {@code options}. */
    public static LocalStack start(Path root, Path workDir, Consumer<String> progress, Options options)
            throws Exception {
        LocalStack stack = new LocalStack(workDir, options);
        try {
            stack.startAll(root, progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path root, Consumer<String> progress) throws Exception {
        List<Path> jars = SERVICES.stream()
                .map(s -> root.resolve(s).resolve("target/quarkus-app/quarkus-run.jar")).toList();
        for (Path jar : jars) {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
            }
        }
        resetWorkDir();
        // this stack's token signing key: ./rekey token signs with it, the inventory fetches its JWKS like an IdP's
        jwtKeys = DevKeyPair.generate();
        jwtKeys.writeTo(workDir.resolve(JWT_DIR));
        jwks = JwksServer.start(jwtKeys, 0);
        running.add(jwks);
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

        progress.accept("starting inventory-service, rotation-worker" + (options.workers() > 1
                ? " (" + options.workers() + " processes)" : "") + ", notifier-service");
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Integer> managementPorts = new LinkedHashMap<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            int processes = service.equals("rotation-worker") ? options.workers() : 1;
            for (int p = 1; p <= processes; p++) {
                String name = p == 1 ? service : service + "-" + p;
                int port = Ports.free();
                int managementPort = Ports.free();
                ports.put(name, port);
                managementPorts.put(name, managementPort);
                List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + options.heap(), "-XX:+UseSerialGC"));
                options.jvmFlags().getOrDefault(service, List.of())
                        .forEach(flag -> jvmArgs.add(flag.replace("{name}", name)));
                ChildProcess child = ChildProcess.startJava(name, jvmArgs,
                        List.of("-jar", jars.get(i).toString()), serviceEnv(service, port, managementPort),
                        workDir.resolve("logs/" + name + ".log"));
                services.put(name, child);
                running.add(child);
            }
        }
        List<CompletableFuture<Void>> ready = services.entrySet().stream()
                .map(e -> CompletableFuture.runAsync(() -> e.getValue().awaitHttpOk(
                        "http://127.0.0.1:" + managementPorts.get(e.getKey()) + "/q/health/ready", START_TIMEOUT)))
                .toList();
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();

        env.put("INVENTORY_URL", "http://127.0.0.1:" + ports.get("inventory-service"));
        env.put("WORKER_URL", "http://127.0.0.1:" + ports.get("rotation-worker"));
        env.put("NOTIFIER_URL", "http://127.0.0.1:" + ports.get("notifier-service"));
        // health, metrics and OpenAPI (/q/...) are on each service's management port, not on its API port
        env.put("INVENTORY_MANAGEMENT_URL", "http://127.0.0.1:" + managementPorts.get("inventory-service"));
        env.put("WORKER_MANAGEMENT_URL", "http://127.0.0.1:" + managementPorts.get("rotation-worker"));
        env.put("NOTIFIER_MANAGEMENT_URL", "http://127.0.0.1:" + managementPorts.get("notifier-service"));
        env.put("JWKS_URL", jwks.url());
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

    private Map<String, String> serviceEnv(String service, int port, int managementPort) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        vars.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        vars.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        vars.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        vars.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        // Each service logs in to Vault with its own AppRole and least-privilege policy (deploy/vault/policies).
        vars.put("VAULT_ADDR", vault.address());
        vars.put("VAULT_APPROLE_ROLE_ID", vaultLogins.get(service).roleId());
        vars.put("VAULT_APPROLE_SECRET_ID", vaultLogins.get(service).secretId());
        switch (service) {
            case "inventory-service" -> {
                datasource(vars, "rekey_inventory");
                // exactly the production settings of an OIDC provider: issuer, JWKS URL, audience
                vars.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
                vars.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwks.url());
                vars.put("MP_JWT_VERIFY_AUDIENCES", DevTokens.AUDIENCE);
                // The policy scheduler is off in the local stack unless REKEY_SCHEDULER_ENABLED=true: every credential
                // the demo, the bench or a user seeds is "never rotated", so it would rotate them all within seconds
                // of seeding, and a breach reported then would join those routine rotations.
                vars.put("REKEY_SCHEDULER_ENABLED", System.getenv().getOrDefault("REKEY_SCHEDULER_ENABLED", "false"));
            }
            case "rotation-worker" -> {
                // nothing more: it logs in to Vault with its AppRole (VAULT_APPROLE_* above), never the root token
            }
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

    private void datasource(Map<String, String> vars, String database) {
        vars.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        vars.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        vars.put("QUARKUS_DATASOURCE_USERNAME", postgres.superuser());
        vars.put("QUARKUS_DATASOURCE_PASSWORD", postgres.superuserPassword());
    }

    private void resetWorkDir() throws IOException {
        for (String sub : List.of("data", "logs", "mail", JWT_DIR)) {
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

    /** Tokens that this stack's inventory trusts. */
    public DevTokens tokens() {
        return new DevTokens(jwtKeys);
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

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /**
     * Process id of each child JVM by name: {@code kafka}, {@code inventory-service}, {@code rotation-worker} (and
     * {@code rotation-worker-2} …), {@code notifier-service}; for RSS and CPU from {@code /proc/<pid>/}.
     */
    public Map<String, Long> processIds() {
        Map<String, Long> pids = new LinkedHashMap<>();
        running.stream().filter(c -> c instanceof ChildProcess).map(c -> (ChildProcess) c)
                .filter(c -> c.name().equals("kafka")).forEach(c -> pids.put(c.name(), c.pid()));
        services.forEach((name, child) -> pids.put(name, child.pid()));
        return pids;
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
