package dev.rekey.worker.target.postgres;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.target.TargetFixture;
import dev.rekey.worker.testing.ClosedPort;
import dev.rekey.worker.testing.TestVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * An embedded PostgreSQL of its own (zonky, as in devstack) with every statement logged to a file
 * ({@code log_statement=all}), SCRAM passwords on TCP, and a dedicated superuser as the system's admin.
 */
public final class PostgresFixture implements TargetFixture {

    private static final String SUPERUSER_PASSWORD = "postgres";
    private static PostgresFixture shared;

    private final EmbeddedPostgres server;
    private final Path log;
    private final String admin = "rkadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");

    private PostgresFixture() throws Exception {
        Path logDir = Files.createTempDirectory("rekey-pg-statements");
        log = logDir.resolve("postgresql.log");
        server = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("fsync", "off")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", logDir.toString())
                .setServerConfig("log_filename", "postgresql.log")
                .setServerConfig("log_statement", "all")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + SUPERUSER_PASSWORD + "'");
            String hba;
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = rs.getString(1);
            }
            Files.writeString(Path.of(hba), """
                    local all all trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            s.execute("SELECT pg_reload_conf()");
        }
        superuser("CREATE ROLE " + admin + " LOGIN SUPERUSER PASSWORD '" + adminPassword + "'");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }

    public static synchronized PostgresFixture shared() {
        if (shared == null) {
            try {
                shared = new PostgresFixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL of the target tests", e);
            }
        }
        return shared;
    }

    @Override
    public String type() {
        return "postgresql";
    }

    @Override
    public RotationDue.Target target(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", server.getPort(), "postgres", adminSecretPath, 4);
    }

    @Override
    public RotationDue.Target unreachable(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", ClosedPort.find(), "postgres", adminSecretPath, 4);
    }

    @Override
    public void seedAdmin(String path) throws Exception {
        TestVault.write(path, new HashMap<>(Map.of("username", admin, "password", adminPassword)));
    }

    @Override
    public String adminUsername() {
        return admin;
    }

    @Override
    public String plainName() {
        return "rk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @Override
    public String oddName() {
        return "rk \"odd' role; " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String createUser(String name, String value) throws SQLException {
        superuser("CREATE ROLE " + identifier(name) + " LOGIN PASSWORD " + literal(value));
        return name;
    }

    @Override
    public void dropUser(String username) throws SQLException {
        superuser("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = " + literal(username));
        superuser("DROP ROLE IF EXISTS " + identifier(username));
    }

    @Override
    public boolean logsIn(String username, String value) {
        try (Connection ignored = login(username, value)) {
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                return false;
            }
            throw new IllegalStateException("the test PostgreSQL is unreachable", e);
        }
    }

    @Override
    public Optional<HeldSession> holdSession(String username, String value) throws SQLException {
        Connection session = login(username, value);
        return Optional.of(new HeldSession() {
            @Override
            public boolean isOpen() {
                try {
                    return session.isValid(2);
                } catch (SQLException e) {
                    return false;
                }
            }

            @Override
            public void close() {
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // already ended
                }
            }
        });
    }

    @Override
    public List<Misfit> misfits() {
        return List.of(
                new Misfit(new TargetSettings(15672, null, null, null, null), "managementPort"),
                new Misfit(new TargetSettings(null, true, null, null, null), "tls"),
                new Misfit(new TargetSettings(null, null, new TargetSettings.HttpCall("PUT", "/x", null, null),
                        null, null), "set"));
    }

    /** The statement log from before {@code action} to a marker statement after it. */
    @Override
    public Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) throws Exception {
        long mark = Files.size(log);
        action.accept(target(adminSecretPath));
        String marker = "rekey-observed-" + UUID.randomUUID();
        superuser("SELECT '" + marker + "'");
        String[] seen = new String[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            byte[] all = Files.readAllBytes(log);
            seen[0] = new String(all, (int) mark, all.length - (int) mark, StandardCharsets.UTF_8);
            return seen[0].contains(marker);
        });
        return Optional.of(seen[0]);
    }

    public int port() {
        return server.getPort();
    }

    public Connection login(String username, String value) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres",
                username, value);
    }

    public void superuser(String sql) throws SQLException {
        try (Connection c = login("postgres", SUPERUSER_PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
