package dev.rekey.worker.testing;

import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.testing.SharedStack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The downstream PostgreSQL of the tests (the shared devstack server), seen from outside the worker. */
public final class Downstream {

    static {
        // A test class of a second Quarkus start lives in a new class loader: DriverManager only hands out a driver
        // that loader can see, so its copy of the driver must register too (the worker's targets need it as well).
        try {
            Class.forName("org.postgresql.Driver", true, Downstream.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Downstream() {
    }

    public static PostgresServer server() {
        return SharedStack.postgres();
    }

    /** A new login role with {@code password}; names are unique per call. */
    public static String createRole(String password) throws SQLException {
        String role = "rk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        superuserExecute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        return role;
    }

    /** A new superuser role, to tell one system's admin sessions from everything else. */
    public static String createAdminRole(String password) throws SQLException {
        String role = "rkadm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        superuserExecute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
        return role;
    }

    public static void alterPassword(String role, String password) throws SQLException {
        superuserExecute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
    }

    /**
     * Whether {@code role} logs in with {@code password}. A login the worker's session cleanup ends half-way (it
     * terminates the role's backends right after changing the password, so a login that authenticated just before
     * is cut during its start-up queries) says nothing about the password: it is asked again, a bounded number of
     * times.
     */
    public static boolean logsIn(String role, String password) {
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = login(role, password)) {
                return true;
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (state != null && state.startsWith("28")) {
                    return false;
                }
                boolean endedByServer = state != null && (state.equals("57P01") || state.startsWith("08"));
                if (!endedByServer || attempt == 3) {
                    throw new IllegalStateException("downstream unreachable in a test", e);
                }
            }
        }
    }

    public static Connection login(String role, String password) throws SQLException {
        return DriverManager.getConnection(server().jdbcUrl(server().defaultDatabase()), role, password);
    }

    /** Sessions of {@code role} open right now, asked on an existing superuser connection (a login costs CPU). */
    public static int sessionsOf(Connection superuser, String role) throws SQLException {
        try (Statement s = superuser.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void superuserExecute(String sql) throws SQLException {
        try (Connection c = server().connect(server().defaultDatabase()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
