package dev.rekey.notifier.support;

import dev.rekey.devstack.testing.SharedStack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads the notifier's test database (the shared PostgreSQL, database {@value #NAME}). */
public final class NotifierDb {

    public static final String NAME = "notifier_test";

    private NotifierDb() {
    }

    public static long count(String sql, Object... parameters) {
        List<String> rows = strings(sql, parameters);
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0));
    }

    /** The first column of every row, as text. */
    public static List<String> strings(String sql, Object... parameters) {
        try (Connection db = SharedStack.postgres().connect(NAME); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** status/attempts/last_error of an audience's deliveries, e.g. {@code SENT/1/}. */
    public static List<String> deliveries(String audience) {
        return strings("SELECT kind || '/' || channel || '/' || status || '/' || attempts || '/' || coalesce(last_error, '')"
                + " FROM deliveries WHERE audience = ? ORDER BY created_at, kind, channel", audience);
    }
}
