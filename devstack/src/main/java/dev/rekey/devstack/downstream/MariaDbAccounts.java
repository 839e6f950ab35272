package dev.rekey.devstack.downstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Users of the machine's MariaDB (or MySQL) on 127.0.0.1:3306. Setup runs as root through the {@code mariadb}
 * client over the unix socket (root's unix_socket authentication, as Debian installs it); the admin made for rekey
 * has {@code CREATE USER, PROCESS, CONNECTION ADMIN}, what the worker's target needs. Users are {@code 'name'@'%'}.
 */
public final class MariaDbAccounts implements DownstreamAccounts {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 3306;

    private final Login admin;

    private MariaDbAccounts(Login admin) {
        this.admin = admin;
    }

    /** Makes the admin {@code <prefix>admin}; says why when the server or root's socket login is not there. */
    public static MariaDbAccounts open(String prefix) throws DownstreamUnavailable {
        Reachability.require(HOST, PORT);
        Login admin = new Login(prefix + "admin", Secrets.password());
        try {
            root("CREATE USER " + account(admin.username()) + " IDENTIFIED BY " + literal(admin.password()) + ";\n"
                    + "GRANT CREATE USER, PROCESS, CONNECTION ADMIN ON *.* TO " + account(admin.username()) + ";\n");
        } catch (IOException e) {
            throw new DownstreamUnavailable("root over the unix socket (mariadb --protocol=socket -u root) failed: "
                    + e.getMessage());
        }
        return new MariaDbAccounts(admin);
    }

    @Override
    public String type() {
        return "mariadb";
    }

    @Override
    public String describe() {
        return "MariaDB on " + HOST + ":" + PORT;
    }

    @Override
    public Map<String, Object> systemFields() {
        return Map.of("host", HOST, "port", PORT);
    }

    @Override
    public Login admin() {
        return admin;
    }

    @Override
    public void createUsers(Map<String, String> passwordsByUser) throws IOException {
        StringBuilder sql = new StringBuilder();
        passwordsByUser.forEach((user, password) -> sql.append("CREATE USER ").append(account(user))
                .append(" IDENTIFIED BY ").append(literal(password)).append(";\n"));
        root(sql.toString());
    }

    @Override
    public boolean logsIn(String username, String password) throws SQLException {
        try (Connection ignored = DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/",
                username, password)) {
            return true;
        } catch (SQLException e) {
            // ER_ACCESS_DENIED_ERROR, or its SQL state class 28 (invalid authorization): some server versions answer a
            // login of a user dropped a moment ago with another error code but the same state
            if (e.getErrorCode() == 1045 || (e.getSQLState() != null && e.getSQLState().startsWith("28"))) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void dropUsers(Collection<String> usernames) throws IOException {
        StringBuilder sql = new StringBuilder();
        usernames.forEach(user -> sql.append("DROP USER IF EXISTS ").append(account(user)).append(";\n"));
        root(sql.toString());
    }

    @Override
    public void close() {
        try {
            dropUsers(List.of(admin.username()));
        } catch (IOException ignored) {
            // reported by the caller's own cleanup check, if it cares
        }
    }

    /**
     * Runs {@code sql} as root through the {@code mariadb} client over the unix socket, with
     * {@code NO_BACKSLASH_ESCAPES} (quotes doubled are the only escape); returns its output. Also the worker's target
     * tests' way in as root.
     */
    public static String root(String sql) throws IOException {
        Process client;
        try {
            client = new ProcessBuilder("mariadb", "--protocol=socket", "-u", "root", "--batch", "--skip-column-names")
                    .start();
        } catch (IOException e) {
            throw new IOException("the mariadb client is not installed");
        }
        try {
            client.getOutputStream().write(("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES');\n"
                    + sql).getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
                // the client's message names the statement's line and the server's error, never a value
                throw new IOException(err.lines().findFirst().orElse("exit " + client.exitValue()));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            client.destroy();
        }
    }

    private static String account(String user) {
        return literal(user) + "@'%'";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
