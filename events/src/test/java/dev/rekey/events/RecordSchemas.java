package dev.rekey.events;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks that a {@code components.schemas} entry describes a record exactly as {@link EventJson} maps it: the same
 * property names, the same JSON types and formats, and as {@code required} exactly the properties whose absence
 * makes {@link EventJson#decode} fail. Nested records and enums are followed through their {@code $ref}s.
 */
final class RecordSchemas {

    private final AsyncApiDocument document;
    private final Map<Class<?>, List<Record>> samples;
    private final Map<String, Class<?>> checked = new HashMap<>();

    RecordSchemas(AsyncApiDocument document, List<? extends Record> samples) {
        this.document = document;
        this.samples = RecordGraph.instancesIn(samples);
    }

    /** The names of the schemas checked so far. */
    Set<String> checkedSchemas() {
        return new TreeSet<>(checked.keySet());
    }

    /** {@code reference} must be a {@code $ref} to a schema that describes {@code type}. */
    void assertDescribes(JsonNode reference, Class<?> type) {
        String name = schemaName(reference);
        if (checked.put(name, type) != null) {
            assertThat(checked.get(name)).as("schema %s describes one type", name).isEqualTo(type);
            return;
        }
        JsonNode schema = document.resolve(reference);
        Map<String, JavaType> properties = jsonProperties(type);
        assertThat(schema.path("type").textValue()).as("%s type", name).isEqualTo("object");
        assertThat(schema.path("description").isTextual()).as("%s has a description", name).isTrue();
        assertThat(names(schema.get("properties"))).as("%s properties vs %s", name, type.getName())
                .isEqualTo(properties.keySet());
        assertThat(texts(schema.get("required"))).as("%s required vs what EventJson.decode requires", name)
                .isEqualTo(requiredByDecoding(type, properties.keySet()));
        properties.forEach((property, javaType) ->
                assertProperty(name + "." + property, schema.get("properties").get(property), javaType, true));
    }

    private void assertProperty(String where, JsonNode property, JavaType type, boolean described) {
        Class<?> raw = type.getRawClass();
        if (raw.isRecord()) {
            assertDescribes(property, raw);
        } else if (raw.isEnum()) {
            checked.put(schemaName(property), raw);
            JsonNode schema = document.resolve(property);
            assertThat(schema.path("type").textValue()).as(where).isEqualTo("string");
            assertThat(texts(schema.get("enum"))).as("%s enum", where).isEqualTo(
                    Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.toSet()));
        } else if (type.isCollectionLikeType()) {
            assertThat(property.path("type").textValue()).as("%s type", where).isEqualTo("array");
            assertThat(property.path("description").isTextual()).as("%s has a description", where).isTrue();
            assertProperty(where + "[]", property.get("items"), type.getContentType(), false);
        } else {
            assertThat(property.path("description").isTextual() || !described)
                    .as("%s has a description", where).isTrue();
            assertThat(typeAndFormat(property)).as("%s type and format for %s", where, raw.getName())
                    .isIn(expectedTypeAndFormats(raw));
        }
    }

    /** JSON property name to type, as the events mapper writes them; it must read the same names. */
    static Map<String, JavaType> jsonProperties(Class<?> type) {
        ObjectMapper mapper = EventJson.mapper();
        JavaType javaType = mapper.constructType(type);
        Map<String, JavaType> written = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : mapper.getSerializationConfig().introspect(javaType).findProperties()) {
            written.put(p.getName(), p.getPrimaryType());
        }
        Set<String> read = mapper.getDeserializationConfig().introspect(javaType).findProperties().stream()
                .filter(BeanPropertyDefinition::couldDeserialize).map(BeanPropertyDefinition::getName)
                .collect(Collectors.toSet());
        assertThat(written.keySet()).as("%s: properties written vs read", type.getName()).isEqualTo(read);
        return written;
    }

    /**
     * A property is required when every sample has it and decoding fails for every sample without it. Cause shows
     * why "every sample": a BREACH cause fails without breachId, but a SCHEDULED one is valid without it.
     */
    private Set<String> requiredByDecoding(Class<?> type, Set<String> properties) {
        List<ObjectNode> jsons = samples.getOrDefault(type, List.of()).stream()
                .map(s -> (ObjectNode) EventJson.mapper().valueToTree(s)).toList();
        assertThat(jsons).as("samples of %s", type.getName()).isNotEmpty();
        Set<String> shown = jsons.stream().flatMap(j -> EventJsonTest.keys(j).stream()).collect(Collectors.toSet());
        assertThat(shown).as("samples of %s show every property", type.getName()).isEqualTo(properties);
        return properties.stream().filter(p -> jsons.stream().allMatch(j -> j.has(p) && failsWithout(j, p, type)))
                .collect(Collectors.toSet());
    }

    private static boolean failsWithout(ObjectNode json, String property, Class<?> type) {
        assertThatCode(() -> EventJson.decode(json.toString(), type)).as("a sample decodes").doesNotThrowAnyException();
        try {
            EventJson.decode(json.deepCopy().without(property).toString(), type);
            return false;
        } catch (MalformedEventException e) {
            return true;
        }
    }

    private static Set<String> expectedTypeAndFormats(Class<?> raw) {
        if (raw == String.class) {
            return Set.of("string", "string/email");
        } else if (raw == UUID.class) {
            return Set.of("string/uuid");
        } else if (raw == Instant.class) {
            return Set.of("string/date-time");
        } else if (raw == int.class || raw == Integer.class) {
            return Set.of("integer/int32");
        } else if (raw == long.class || raw == Long.class) {
            return Set.of("integer/int64");
        } else if (raw == boolean.class || raw == Boolean.class) {
            return Set.of("boolean");
        }
        return fail("no JSON Schema mapping for " + raw.getName() + "; add one here and in the document");
    }

    private static String typeAndFormat(JsonNode property) {
        String type = property.path("type").asText("<none>");
        return property.has("format") ? type + "/" + property.get("format").textValue() : type;
    }

    private static String schemaName(JsonNode reference) {
        String ref = reference.path("$ref").asText("");
        assertThat(ref).as("a $ref into components.schemas").startsWith("#/components/schemas/");
        return ref.substring("#/components/schemas/".length());
    }

    static Set<String> names(JsonNode object) {
        assertThat(object).as("an object").isNotNull();
        return EventJsonTest.keys(object);
    }

    static Set<String> texts(JsonNode array) {
        Set<String> values = new TreeSet<>();
        if (array != null) {
            array.forEach(v -> values.add(v.textValue()));
        }
        return values;
    }
}
