package dev.rekey.worker.target.postgres;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.AdminConnections;
import dev.rekey.worker.target.AdminLogin;
import dev.rekey.worker.target.AdminLogins;
import dev.rekey.worker.target.JdbcSession;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetChecks;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.target.TargetsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGConnection;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

/**
 * PostgreSQL login roles. The new password is hashed here (SCRAM-SHA-256, pgjdbc's
 * {@code PGConnection.alterUserPassword}) and the server receives only the verifier, so no plaintext reaches a
 * server log even with {@code log_statement=all}. Sessions end with {@code pg_terminate_backend}, sparing the
 * worker's own admin sessions. The login check opens and closes one connection as the user.
 */
@ApplicationScoped
public class PostgresRoleTarget implements RotationTarget {

    static final String TYPE = "postgresql";
    private static final String DEFAULT_DATABASE = "postgres";
    private static final int STANDARD_PORT = 5432;
    /** NAMEDATALEN - 1: PostgreSQL truncates longer names, so a longer one would name another role. */
    private static final int MAX_NAME_BYTES = 63;
    private static final String TERMINATE_SESSIONS = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE usename = ? AND pid <> pg_backend_pid() AND NOT (pid = ANY (?))";

    private final AdminLogins adminLogins;
    private final TargetsConfig config;
    private final AdminConnections<JdbcSession> pools = new AdminConnections<>();

    public PostgresRoleTarget(AdminLogins adminLogins, TargetsConfig config) {
        this.adminLogins = adminLogins;
        this.config = config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        TargetChecks.allowOnly(due, TYPE, Set.of());
        TargetChecks.requirePrintableUsernames(due, TYPE);
        TargetChecks.usernames(due).forEach(user -> {
            if (user.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new TargetException("a PostgreSQL role name has at most " + MAX_NAME_BYTES + " bytes", false);
            }
        });
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        if (value.reveal().indexOf('\0') >= 0) {
            throw new TargetException("a PostgreSQL password cannot contain a NUL character", false);
        }
        withAdmin(due, "setting the password of role " + username, connection -> {
            // the driver computes the SCRAM verifier and quotes the role name; the server never sees the value
            connection.connection().unwrap(PGConnection.class)
                    .alterUserPassword(username, value.reveal().toCharArray(), "scram-sha-256");
            return null;
        });
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        try (Connection ignored = open(url(due), username, value.reveal())) {
            return true;
        } catch (SQLException e) {
            if (isLoginRejected(e)) {
                return false;
            }
            throw classify(e, describe(due), "logging in as " + username);
        }
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        String pool = poolKey(due);
        return withAdmin(due, "ending the sessions of role " + username, connection -> {
            Connection c = connection.connection();
            Array own = c.createArrayOf("int4", pools.sessionIds(pool).stream().map(Long::intValue).toArray());
            try (PreparedStatement terminate = c.prepareStatement(TERMINATE_SESSIONS)) {
                terminate.setString(1, username);
                terminate.setArray(2, own);
                try (ResultSet rs = terminate.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    @PreDestroy
    void closeAll() {
        pools.closeAll();
    }

    /** One statement's work on a pooled admin connection. */
    private interface Work<T> {
        T on(JdbcSession connection) throws SQLException;
    }

    private <T> T withAdmin(RotationDue due, String what, Work<T> work) {
        String system = describe(due);
        AdminLogin admin = adminLogins.read(due, system);
        return pools.with(poolKey(due), admin, due.target().maxConcurrentRotations(), login -> connect(due, login),
                connection -> {
                    try {
                        return work.on(connection);
                    } catch (SQLException e) {
                        throw classify(e, system, what);
                    }
                });
    }

    private JdbcSession connect(RotationDue due, AdminLogin admin) {
        try {
            Connection connection = open(url(due), admin.username(), admin.password());
            return new JdbcSession(connection, connection.unwrap(PGConnection.class).getBackendPID());
        } catch (SQLException e) {
            if (isLoginRejected(e)) {
                throw new TargetException("admin login to " + describe(due) + " rejected (SQL state "
                        + e.getSQLState() + ")", false);
            }
            throw classify(e, describe(due), "admin login");
        }
    }

    private Connection open(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", seconds(config.connectTimeout().toSeconds()));
        properties.setProperty("loginTimeout", seconds(config.connectTimeout().toSeconds()));
        properties.setProperty("socketTimeout", seconds(config.requestTimeout().toSeconds()));
        properties.setProperty("ApplicationName", "rekey-rotation-worker");
        return DriverManager.getConnection(url, properties);
    }

    private static String seconds(long value) {
        return Long.toString(Math.max(1, value));
    }

    private static String poolKey(RotationDue due) {
        return due.credential().systemId() + "|" + url(due);
    }

    private static String url(RotationDue due) {
        RotationDue.Target target = due.target();
        String database = target.database() == null || target.database().isBlank()
                ? DEFAULT_DATABASE : target.database();
        return "jdbc:postgresql://" + target.host() + ":" + TargetChecks.portOr(due, STANDARD_PORT) + "/" + database;
    }

    private static String describe(RotationDue due) {
        return "PostgreSQL system " + due.credential().systemId() + " at " + due.target().host() + ":"
                + TargetChecks.portOr(due, STANDARD_PORT);
    }

    private static boolean isLoginRejected(SQLException e) {
        // 28P01 invalid_password, 28000 invalid_authorization_specification (no such role, pg_hba refusal)
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }

    /**
     * A refusal from its SQL state. Server messages are left out on purpose: a message about a failed statement may
     * quote it.
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
}
