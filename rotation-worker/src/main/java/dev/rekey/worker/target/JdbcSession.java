package dev.rekey.worker.target;

import java.sql.Connection;
import java.sql.SQLException;

/** A pooled JDBC admin connection and the server's id for its session. */
public record JdbcSession(Connection connection, long sessionId) implements AdminConnection {

    @Override
    public boolean isUsable() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a broken connection: nothing left to release
        }
    }
}
