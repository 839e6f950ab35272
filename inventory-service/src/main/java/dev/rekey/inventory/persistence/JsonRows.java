package dev.rekey.inventory.persistence;

import dev.rekey.events.EventJson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * Many rows in one statement: the rows travel as one JSON array bound to {@code :rows} and come back as a table
 * through {@link #RECORDSET}. A campaign's thousands of rows then cost one round trip, instead of a batch of inserts
 * and a managed entity each.
 */
public final class JsonRows {

    /**
     * The rows of {@code :rows} as a set-returning function; follow it with {@code AS alias(column type, ...)}. The
     * parameter is text cast to json: a string bound as json would be one JSON string.
     */
    public static final String RECORDSET = "json_to_recordset(CAST(CAST(:rows AS text) AS json))";

    private JsonRows() {
    }

    /**
     * The value of {@code :rows}: each item's columns by name (a null column is a JSON null, which reads as SQL
     * NULL), encoded with the event contract's mapping so that instants and UUIDs read back as the columns' types.
     */
    public static <T> String encode(Collection<T> items, Function<T, Map<String, Object>> columns) {
        java.util.List<Map<String, Object>> rows = new ArrayList<>(items.size());
        for (T item : items) {
            rows.add(columns.apply(item));
        }
        return EventJson.encode(rows);
    }
}
