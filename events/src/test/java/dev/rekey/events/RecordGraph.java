package dev.rekey.events;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks event records through their components, into nested records and the elements of lists. */
final class RecordGraph {

    private RecordGraph() {
    }

    /** Every record type reachable from the roots, the roots included. */
    static Set<Class<?>> reachableFrom(List<? extends Class<?>> roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        List<Class<?>> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            Class<?> type = todo.remove(0);
            if (type.isRecord() && seen.add(type)) {
                for (RecordComponent component : type.getRecordComponents()) {
                    todo.addAll(typesIn(component.getGenericType()));
                }
            }
        }
        return seen;
    }

    /** Every record instance inside the given ones (themselves included), grouped by type. */
    static Map<Class<?>, List<Record>> instancesIn(List<? extends Record> roots) {
        Map<Class<?>, List<Record>> byType = new LinkedHashMap<>();
        roots.forEach(root -> collect(root, byType));
        return byType;
    }

    /** The raw type and, for parameterized types such as {@code List<OwnerRef>}, its type arguments. */
    static List<Class<?>> typesIn(Type type) {
        List<Class<?>> types = new ArrayList<>();
        if (type instanceof Class<?> raw) {
            types.add(raw.isArray() ? raw.getComponentType() : raw);
        } else if (type instanceof ParameterizedType parameterized) {
            types.addAll(typesIn(parameterized.getRawType()));
            for (Type argument : parameterized.getActualTypeArguments()) {
                types.addAll(typesIn(argument));
            }
        }
        return types;
    }

    private static void collect(Object value, Map<Class<?>, List<Record>> byType) {
        if (value instanceof Record record) {
            byType.computeIfAbsent(record.getClass(), k -> new ArrayList<>()).add(record);
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                collect(read(component, record), byType);
            }
        } else if (value instanceof Iterable<?> values) {
            values.forEach(element -> collect(element, byType));
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
