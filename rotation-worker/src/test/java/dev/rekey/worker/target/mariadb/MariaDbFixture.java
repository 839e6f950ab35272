package dev.rekey.worker.target.mariadb;

import dev.rekey.devstack.downstream.MariaDbAccounts;
import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.worker.target.TargetFixture;
import dev.rekey.worker.testing.ClosedPort;
import dev.rekey.worker.testing.TestVault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * The machine's MariaDB on 127.0.0.1:3306. Setup runs as root through the {@code mariadb} client over the unix
 * socket (root's unix_socket authentication, as Debian installs it); the target works as a dedicated admin account
 * with {@code CREATE USER, PROCESS, CONNECTION ADMIN}, created here. {@code .ci/run} starts the server.
 */
public final class MariaDbFixture implements TargetFixture {

    static final int PORT = 3306;
    private static MariaDbFixture shared;

    private final String admin = "rkadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");

    private MariaDbFixture() throws Exception {
        root("CREATE USER '" + admin + "'@'%' IDENTIFIED BY '" + adminPassword + "';"
                + "GRANT CREATE USER, PROCESS, CONNECTION ADMIN ON *.* TO '" + admin + "'@'%';");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                root("DROP USER IF EXISTS '" + admin + "'@'%';");
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }));
    }

    public static synchronized MariaDbFixture shared() {
        if (shared == null) {
            try {
                shared = new MariaDbFixture();
            } catch (Exception e) {
                throw new IllegalStateException("MariaDB on 127.0.0.1:3306 with root over the socket is needed"
                        + " (.ci/run starts it)", e);
            }
        }
        return shared;
    }

    @Override
    public String type() {
        return "mariadb";
    }

    @Override
    public RotationDue.Target target(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", PORT, null, adminSecretPath, 4);
    }

    @Override
    public RotationDue.Target unreachable(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", ClosedPort.find(), null, adminSecretPath, 4);
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

    /** Quotes, a space, a semicolon and an {@code @}: given with its host, as {@code name@%}. */
    @Override
    public String oddName() {
        return "rk o'dd@\"x\"; " + UUID.randomUUID().toString().substring(0, 8) + "@%";
    }

    @Override
    public String createUser(String name, String value) throws Exception {
        MariaDbAccount account = MariaDbAccount.parse(name);
        root("CREATE USER " + account.sql() + " IDENTIFIED BY " + MariaDbAccount.literal(value) + ";");
        return name;
    }

    @Override
    public void dropUser(String username) throws Exception {
        root("DROP USER IF EXISTS " + MariaDbAccount.parse(username).sql() + ";");
    }

    @Override
    public boolean logsIn(String username, String value) {
        try (Connection ignored = login(username, value)) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1045) {
                return false;
            }
            throw new IllegalStateException("MariaDB is unreachable", e);
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
                new Misfit(new TargetSettings(null, false, null, null, null), "tls"),
                new Misfit(new TargetSettings(null, null, null, new TargetSettings.HttpCall("GET", "/", null, null),
                        null), "test"));
    }

    /** The server's general log, switched on to a file of its own while {@code action} runs. */
    @Override
    public Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) throws Exception {
        Path file = Path.of("/tmp", "rekey-mariadb-general-" + UUID.randomUUID() + ".log");
        String previous = root("SELECT @@global.general_log_file;").trim();
        root("SET GLOBAL general_log_file = '" + file + "'; SET GLOBAL general_log = ON;");
        String marker = "rekey-observed-" + UUID.randomUUID();
        try {
            action.accept(target(adminSecretPath));
            root("SELECT '" + marker + "';");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file)
                    && Files.readString(file, StandardCharsets.ISO_8859_1).contains(marker));
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } finally {
            root("SET GLOBAL general_log = OFF; SET GLOBAL general_log_file = '" + previous + "';");
            Files.deleteIfExists(file);
        }
    }

    public static Connection login(String username, String value) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + PORT + "/",
                MariaDbAccount.parse(username).name(), value);
    }

    /** Runs {@code sql} as root over the unix socket (devstack's {@link MariaDbAccounts#root}); returns its output. */
    public static String root(String sql) throws IOException {
        return MariaDbAccounts.root(sql);
    }
}
