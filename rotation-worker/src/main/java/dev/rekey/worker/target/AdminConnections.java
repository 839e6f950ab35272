package dev.rekey.worker.target;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Idle admin connections of one system. {@link SystemGates} bounds how many are in use at once, so the pool keeps at
 * most that many. A connection opened with an admin login that has since changed in Vault is closed, not reused.
 */
final class AdminConnections {

    private final Deque<Idle> idle = new ArrayDeque<>();

    /** An idle connection opened with {@code login}, or a new one from {@code open}. */
    Connection borrow(PostgresRoleTarget.AdminLogin login, Supplier<Connection> open) {
        byte[] fingerprint = fingerprint(login);
        while (true) {
            Idle candidate;
            synchronized (this) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return open.get();
            }
            if (MessageDigest.isEqual(candidate.fingerprint, fingerprint) && isValid(candidate.connection)) {
                return candidate.connection;
            }
            closeQuietly(candidate.connection);
        }
    }

    void giveBack(Connection connection, PostgresRoleTarget.AdminLogin login, boolean healthy, int bound) {
        if (healthy) {
            synchronized (this) {
                if (idle.size() < bound) {
                    idle.addFirst(new Idle(connection, fingerprint(login)));
                    return;
                }
            }
        }
        closeQuietly(connection);
    }

    synchronized void close() {
        idle.forEach(i -> closeQuietly(i.connection));
        idle.clear();
    }

    private static boolean isValid(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a broken connection: nothing left to release
        }
    }

    /** A digest of the login, so that the pool does not keep the admin password itself. */
    private static byte[] fingerprint(PostgresRoleTarget.AdminLogin login) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((login.username() + "\0" + login.password()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Idle(Connection connection, byte[] fingerprint) {
    }
}
