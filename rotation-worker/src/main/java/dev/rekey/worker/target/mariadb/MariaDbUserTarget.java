package dev.rekey.worker.target.mariadb;

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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * MariaDB and MySQL accounts ({@link MariaDbAccount}: {@code username} is {@code name@host}, host {@code %} by
 * default). The password is hashed here into the {@code mysql_native_password} form, and the server receives
 * {@code ALTER USER ... IDENTIFIED WITH mysql_native_password AS '*<hash>'}, so no plaintext reaches its general
 * log. That is the one pre-hashed form MariaDB 10.11 takes without an extra plugin (ed25519 needs its plugin
 * installed, and takes a plaintext {@code PASSWORD()} argument); MySQL 5.7 and 8.0 take the same statement. The
 * account ends up with this plugin alone. Sessions end with {@code KILL CONNECTION} for every session of the user
 * name, sparing the worker's own admin sessions.
 */
@ApplicationScoped
public class MariaDbUserTarget implements RotationTarget {

    static final String TYPE = "mariadb";
    private static final int STANDARD_PORT = 3306;
    /** Doubling a quote is then the whole quoting rule for literals, whatever the server's default sql_mode. */
    private static final String SESSION_SQL_MODE = "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')";
    private static final String SESSIONS_OF_USER =
            "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()";
    private static final int ER_CANNOT_USER = 1396;
    private static final int ER_ACCESS_DENIED = 1045;
    private static final int ER_NO_SUCH_THREAD = 1094;

    private final AdminLogins adminLogins;
    private final TargetsConfig config;
    private final AdminConnections<JdbcSession> pools = new AdminConnections<>();

    public MariaDbUserTarget(AdminLogins adminLogins, TargetsConfig config) {
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
        TargetChecks.usernames(due).forEach(MariaDbAccount::parse);
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        MariaDbAccount account = MariaDbAccount.parse(username);
        String alter = "ALTER USER " + account.sql() + " IDENTIFIED WITH mysql_native_password AS "
                + MariaDbAccount.literal(nativePasswordHash(value));
        withAdmin(due, "setting the password of account " + account, session -> {
            try (Statement statement = session.connection().createStatement()) {
                statement.execute(alter);
            }
            return null;
        });
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        MariaDbAccount account = MariaDbAccount.parse(username);
        try (Connection ignored = open(due, account.name(), value.reveal())) {
            return true;
        } catch (SQLException e) {
            // 1045, or another code of SQL state class 28 (invalid authorization), as the devstack has seen from a
            // server refusing a user dropped a moment before
            if (e.getErrorCode() == ER_ACCESS_DENIED || (e.getSQLState() != null && e.getSQLState().startsWith("28"))) {
                return false;
            }
            throw classify(e, describe(due), "logging in as " + account);
        }
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        MariaDbAccount account = MariaDbAccount.parse(username);
        String pool = poolKey(due);
        return withAdmin(due, "ending the sessions of " + account, session -> {
            Set<Long> own = pools.sessionIds(pool);
            List<Long> theirs = new ArrayList<>();
            try (PreparedStatement list = session.connection().prepareStatement(SESSIONS_OF_USER)) {
                list.setString(1, account.name());
                try (ResultSet rs = list.executeQuery()) {
                    while (rs.next()) {
                        if (!own.contains(rs.getLong(1))) {
                            theirs.add(rs.getLong(1));
                        }
                    }
                }
            }
            int ended = 0;
            try (Statement kill = session.connection().createStatement()) {
                for (long id : theirs) {
                    try {
                        kill.execute("KILL CONNECTION " + id);
                        ended++;
                    } catch (SQLException e) {
                        if (e.getErrorCode() != ER_NO_SUCH_THREAD) {
                            throw e; // else it ended by itself meanwhile
                        }
                    }
                }
            }
            return ended;
        });
    }

    @PreDestroy
    void closeAll() {
        pools.closeAll();
    }

    /** {@code mysql_native_password}: {@code *} and the upper-case hex of SHA1(SHA1(password)). */
    static String nativePasswordHash(SecretValue value) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(value.reveal().getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private interface Work<T> {
        T on(JdbcSession session) throws SQLException;
    }

    private <T> T withAdmin(RotationDue due, String what, Work<T> work) {
        String system = describe(due);
        AdminLogin admin = adminLogins.read(due, system);
        return pools.with(poolKey(due), admin, due.target().maxConcurrentRotations(), login -> connect(due, login),
                session -> {
                    try {
                        return work.on(session);
                    } catch (SQLException e) {
                        throw classify(e, system, what);
                    }
                });
    }

    private JdbcSession connect(RotationDue due, AdminLogin admin) {
        try {
            Connection connection = open(due, admin.username(), admin.password());
            long id;
            try (Statement s = connection.createStatement()) {
                s.execute(SESSION_SQL_MODE);
                try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                    rs.next();
                    id = rs.getLong(1);
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return new JdbcSession(connection, id);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_ACCESS_DENIED) {
                throw new TargetException("admin login to " + describe(due) + " rejected (error 1045)", false);
            }
            throw classify(e, describe(due), "admin login");
        }
    }

    private Connection open(RotationDue due, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(config.connectTimeout().toMillis()));
        properties.setProperty("socketTimeout", Long.toString(config.requestTimeout().toMillis()));
        return DriverManager.getConnection(url(due), properties);
    }

    private static String poolKey(RotationDue due) {
        return due.credential().systemId() + "|" + url(due);
    }

    private static String url(RotationDue due) {
        String database = due.target().database() == null ? "" : due.target().database();
        return "jdbc:mariadb://" + due.target().host() + ":" + TargetChecks.portOr(due, STANDARD_PORT) + "/"
                + database;
    }

    private static String describe(RotationDue due) {
        return "MariaDB system " + due.credential().systemId() + " at " + due.target().host() + ":"
                + TargetChecks.portOr(due, STANDARD_PORT);
    }

    /** A refusal from its error code and SQL state; server messages may quote the statement, so they stay out. */
    static TargetException classify(SQLException e, String system, String what) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        String where = " while " + what + " on " + system + " (error " + e.getErrorCode() + ", SQL state " + state + ")";
        if (state.equals("none") || state.startsWith("08") || state.equals("HYT00") || state.equals("70100")) {
            return new TargetException("unreachable or not answering" + where, true);
        }
        if (state.startsWith("40")) {
            return new TargetException("concurrent change" + where, true);
        }
        return switch (e.getErrorCode()) {
            case ER_CANNOT_USER -> new TargetException("account does not exist" + where, false);
            case 1227, 1044, 1142 -> new TargetException("insufficient privilege" + where, false);
            case 1049 -> new TargetException("database does not exist" + where, false);
            case 1040, 1203, 1205, 1213 -> new TargetException("busy" + where, true);
            default -> new TargetException(state.startsWith("28") ? "login rejected" + where : "refused" + where, false);
        };
    }
}
