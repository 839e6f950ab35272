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

    /**
     * Inserts minimal credentials (one owner, one system, one tag) in one batch, for the benchmarks that need
     * thousands of them faster than the API takes them one by one.
     */
    public static void seedCredentials(java.util.List<String> ids, String system, String owner, String tag)
            throws SQLException {
        try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO credentials (id, name, kind, vault_mount, vault_path, username, system_id, owner_id, tags)"
                        + " VALUES (?, ?, 'postgresql-role', 'secret', ?, ?, ?, ?, ?)")) {
            for (String id : ids) {
                insert.setString(1, id);
                insert.setString(2, id);
                insert.setString(3, "apps/" + id);
                insert.setString(4, id.replace('-', '_'));
                insert.setString(5, system);
                insert.setString(6, owner);
                insert.setArray(7, c.createArrayOf("text", new String[]{tag}));
                insert.addBatch();
            }
            insert.executeBatch();
        }
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

    /** Runs one statement (a test's way of ageing or breaking state); returns the rows it changed. */
    public static int update(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
