package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostgreSQL login roles (design.md, "Targets"): {@code ALTER ROLE ... WITH PASSWORD} as the system's admin, whose
 * login is read from Vault at {@code target.adminSecretPath}; with {@code terminateSessions}, the user's other
 * sessions are ended with {@code pg_terminate_backend}. Admin connections are pooled per system (at most as many as
 * the system's concurrency bound lets run at once); a login test opens and closes one connection as the user.
 */
@ApplicationScoped
public class PostgresRoleTarget implements RotationTarget {

    static final String TYPE = "postgresql";
    private static final String DEFAULT_DATABASE = "postgres";
    private static final String TERMINATE_SESSIONS =
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()";

    @Inject
    SecretStore store;

    @Inject
    WorkerConfig config;

    private final Map<String, AdminConnections> pools = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void apply(RotationDue due, String user, SecretValue value) {
        String system = describe(due);
        AdminLogin admin = adminLogin(due, system);
        // DDL takes no bind parameters: the role is a quoted identifier, the value a quoted literal
        String alter = "ALTER ROLE " + quoteIdentifier(user) + " WITH PASSWORD " + quoteLiteral(value.reveal());
        AdminConnections pool = pools.computeIfAbsent(due.credential().systemId() + "|" + url(due),
                key -> new AdminConnections());
        Connection connection = pool.borrow(admin, () -> connect(url(due), admin.username(), admin.password(), system,
                "admin login"));
        boolean healthy = false;
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(alter);
            }
            healthy = true;
        } catch (SQLException e) {
            healthy = !isConnectionLoss(e);
            throw classify(e, system, "setting the password of role " + user);
        } finally {
            pool.giveBack(connection, admin, healthy, due.target().maxConcurrentRotations());
        }
    }

    @Override
    public boolean logsIn(RotationDue due, String user, SecretValue value) {
        String system = describe(due);
        try (Connection ignored = open(url(due), user, value.reveal())) {
            return true;
        } catch (SQLException e) {
            if (isLoginRejected(e)) {
                return false;
            }
            throw classify(e, system, "logging in as " + user);
        }
    }

    @Override
    public int endSessions(RotationDue due, String user) {
        String system = describe(due);
        AdminLogin admin = adminLogin(due, system);
        AdminConnections pool = pools.computeIfAbsent(due.credential().systemId() + "|" + url(due),
                key -> new AdminConnections());
        Connection connection = pool.borrow(admin, () -> connect(url(due), admin.username(), admin.password(), system,
                "admin login"));
        boolean healthy = false;
        try (PreparedStatement terminate = connection.prepareStatement(TERMINATE_SESSIONS)) {
            terminate.setString(1, user);
            int ended;
            try (var rs = terminate.executeQuery()) {
                ended = rs.next() ? rs.getInt(1) : 0;
            }
            healthy = true;
            return ended;
        } catch (SQLException e) {
            healthy = !isConnectionLoss(e);
            throw classify(e, system, "ending the sessions of role " + user);
        } finally {
            pool.giveBack(connection, admin, healthy, due.target().maxConcurrentRotations());
        }
    }

    @PreDestroy
    void closeAll() {
        pools.values().forEach(AdminConnections::close);
    }

    private AdminLogin adminLogin(RotationDue due, String system) {
        SecretPath path;
        try {
            path = SecretPath.parse(due.target().adminSecretPath());
        } catch (IllegalArgumentException e) {
            throw new TargetException("invalid admin secret path for " + system, false);
        }
        SecretVersion secret = store.readCurrent(path).orElseThrow(() -> new TargetException(
                "admin login for " + system + " not found in Vault at " + path, false));
        String username = secret.field("username");
        String password = secret.field("password");
        if (username == null || password == null) {
            throw new TargetException("admin login for " + system + " in Vault at " + path
                    + " lacks username or password", false);
        }
        return new AdminLogin(username, password);
    }

    private Connection connect(String url, String user, String password, String system, String what) {
        try {
            return open(url, user, password);
        } catch (SQLException e) {
            if (isLoginRejected(e)) {
                throw new TargetException(what + " to " + system + " rejected (SQL state " + e.getSQLState() + ")",
                        false);
            }
            throw classify(e, system, what);
        }
    }

    private Connection open(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", seconds(config.postgres().connectTimeout().toSeconds()));
        properties.setProperty("loginTimeout", seconds(config.postgres().connectTimeout().toSeconds()));
        properties.setProperty("socketTimeout", seconds(config.postgres().socketTimeout().toSeconds()));
        properties.setProperty("ApplicationName", "rekey-rotation-worker");
        return DriverManager.getConnection(url, properties);
    }

    private static String seconds(long value) {
        return Long.toString(Math.max(1, value));
    }

    private static String url(RotationDue due) {
        RotationDue.Target target = due.target();
        String database = target.database() == null || target.database().isBlank()
                ? DEFAULT_DATABASE : target.database();
        int port = target.port() > 0 ? target.port() : 5432;
        return "jdbc:postgresql://" + target.host() + ":" + port + "/" + database;
    }

    private static String describe(RotationDue due) {
        RotationDue.Target target = due.target();
        return "PostgreSQL system " + due.credential().systemId() + " at " + target.host() + ":" + target.port();
    }

    private static boolean isLoginRejected(SQLException e) {
        // 28P01 invalid_password, 28000 invalid_authorization_specification (no such role, pg_hba refusal)
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }

    private static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /**
     * A refusal from its SQL state. Server messages are left out on purpose: a message about a failed statement may
     * quote it, and the statement carries the new password.
     */
    static TargetException classify(SQLException e, String system, String what) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        String where = " while " + what + " on " + system + " (SQL state " + state + ")";
        if (state.equals("none") || state.startsWith("08")) {
            return new TargetException("unreachable" + where, true);
        }
        if (state.startsWith("57P") || state.startsWith("53")) {
            return new TargetException("restarting or out of resources" + where, true);
        }
        if (state.startsWith("40") || state.equals("55P03")) {
            return new TargetException("concurrent change" + where, true);
        }
        return switch (state) {
            case "42704" -> new TargetException("role does not exist" + where, false);
            case "42501" -> new TargetException("insufficient privilege" + where, false);
            case "3D000" -> new TargetException("database does not exist" + where, false);
            default -> new TargetException(state.startsWith("28") ? "login rejected" + where : "refused" + where, false);
        };
    }

    static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String quoteLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new TargetException("a PostgreSQL password cannot contain a NUL character", false);
        }
        // standard_conforming_strings is on since PostgreSQL 9.1: a quote is the only character to double
        return "'" + value.replace("'", "''") + "'";
    }

    /** A system's admin login as stored in Vault; it never prints its password. */
    record AdminLogin(String username, String password) {

        @Override
        public String toString() {
            return "AdminLogin[" + username + "]";
        }
    }
}
