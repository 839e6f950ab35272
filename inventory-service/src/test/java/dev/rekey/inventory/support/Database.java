package dev.rekey.inventory.support;

import dev.rekey.devstack.testing.SharedStack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct JDBC reads of the service's test database, to check what was (not) written. */
public final class Database {

    /** The database that every test class of this module points the service at. */
    public static final String NAME = "inventory_test";

    private Database() {
    }

    public static Connection connect() throws SQLException {
        return SharedStack.postgres().connect(NAME);
    }

    /** The single number a {@code SELECT count(*) …} query returns. */
    public static long count(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
