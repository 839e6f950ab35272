package dev.rekey.devstack.downstream;

import dev.rekey.devstack.postgres.PostgresServer;
import org.postgresql.util.PasswordUtil;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Map;

/**
 * Login roles of a devstack PostgreSQL. The admin is a role with {@code CREATEROLE} and {@code pg_signal_backend},
 * not a superuser: it creates the users itself, so PostgreSQL 16+ gives it ADMIN OPTION on them, which is all the
 * worker's target needs. Passwords reach the server already SCRAM-hashed (pgjdbc computes it).
 */
public final class PostgresAccounts implements DownstreamAccounts {

    private final PostgresServer server;
    private final String database;
    private final Login admin;

    private PostgresAccounts(PostgresServer server, String database, Login admin) {
        this.server = server;
        this.database = database;
        this.admin = admin;
    }

    /** Makes the admin role {@code <prefix>admin} on {@code server}; users log in to {@code database}. */
    public static PostgresAccounts open(PostgresServer server, String database, String prefix)
            throws DownstreamUnavailable {
        Login admin = new Login(prefix + "admin", Secrets.password());
        try (Connection su = server.connect(database); Statement sql = su.createStatement()) {
            sql.execute("CREATE ROLE " + ident(admin.username()) + " LOGIN CREATEROLE PASSWORD "
                    + literal(PasswordUtil.encodeScramSha256(admin.password().toCharArray())));
            sql.execute("GRANT pg_signal_backend TO " + ident(admin.username()));
        } catch (SQLException e) {
            throw new DownstreamUnavailable("could not create an admin role (SQL state " + e.getSQLState() + ")");
        }
        return new PostgresAccounts(server, database, admin);
    }

    @Override
    public String type() {
        return "postgresql";
    }

    @Override
    public String describe() {
        return "PostgreSQL on " + server.host() + ":" + server.port();
    }

    @Override
    public Map<String, Object> systemFields() {
        return Map.of("host", server.host(), "port", server.port(), "database", database);
    }

    @Override
    public Login admin() {
        return admin;
    }

    @Override
    public void createUsers(Map<String, String> passwordsByUser) throws SQLException {
        try (Connection asAdmin = loginAs(admin.username(), admin.password()); Statement sql = asAdmin.createStatement()) {
            for (Map.Entry<String, String> user : passwordsByUser.entrySet()) {
                sql.execute("CREATE ROLE " + ident(user.getKey()) + " LOGIN PASSWORD "
                        + literal(PasswordUtil.encodeScramSha256(user.getValue().toCharArray())));
            }
        }
    }

    @Override
    public boolean logsIn(String username, String password) throws SQLException {
        try (Connection ignored = loginAs(username, password)) {
            return true;
        } catch (SQLException e) {
            // class 28: invalid authorization (wrong password, no such role)
            if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void dropUsers(Collection<String> usernames) throws SQLException {
        try (Connection su = server.connect(database); Statement sql = su.createStatement()) {
            for (String user : usernames) {
                sql.execute("DROP ROLE IF EXISTS " + ident(user));
            }
        }
    }

    @Override
    public void close() {
        try {
            dropUsers(java.util.List.of(admin.username()));
        } catch (SQLException ignored) {
            // the embedded server goes away with the stack anyway
        }
    }

    private Connection loginAs(String username, String password) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), username, password);
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
