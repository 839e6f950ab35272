package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.UncheckedIOException;

/**
 * The one JSON mapping of rekey events: ISO-8601 instants, absent optional fields left out, unknown fields ignored
 * (consumers accept newer producers), missing required fields rejected (a missing primitive too, through
 * {@code FAIL_ON_NULL_FOR_PRIMITIVES}), a payload must be exactly one JSON object, a fraction is not an integer.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private EventJson() {
    }

    /** The configured mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an event of the given type.
     *
     * @throws MalformedEventException when the payload is not JSON or not a valid {@code type}; its message names
     *                                 the offending field but never quotes the payload, and it carries no cause
     *                                 because Jackson's messages quote the offending token
     */
    public static <T> T decode(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty payload, expected " + type.getSimpleName(), null);
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(describe(e, type), null);
        }
    }

    private static String describe(JsonProcessingException e, Class<?> type) {
        String expected = "not a valid " + type.getSimpleName() + ": ";
        JsonParseException parseError = parseErrorIn(e);
        if (parseError != null || !(e instanceof JsonMappingException mapping)) {
            return expected + "not well-formed JSON at " + locationOf(parseError != null ? parseError : e);
        }
        String path = pathOf(mapping);
        if (e instanceof ValueInstantiationException vie) {
            return expected + rejectedValue(path, vie.getCause());
        }
        if (path.isEmpty()) {
            return expected + "expected a single JSON object";
        }
        String what = e instanceof InvalidFormatException ? "has a wrong format" : "is missing or has a wrong type";
        return expected + "field '" + path + "' " + what;
    }

    /**
     * A record constructor refused the values. Its message is a field name or a rule, never a value: record
     * constructors in this package must keep it that way, since the message is passed on.
     */
    private static String rejectedValue(String path, Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (cause instanceof NullPointerException && message != null && message.matches("\\w+")) {
            // Objects.requireNonNull(value, "fieldName"): a missing required field
            return "field '" + (path.isEmpty() ? message : path + "." + message) + "' is missing";
        }
        String where = path.isEmpty() ? "" : "field '" + path + "': ";
        return where + (message == null ? "a required value is null" : message);
    }

    /** Databind wraps a syntax error met inside a field (an unterminated string) with the field's path. */
    private static JsonParseException parseErrorIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException parseError) {
                return parseError;
            }
        }
        return null;
    }

    /** Like {@code owners[1].email}. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() == null) {
                path.append('[').append(ref.getIndex()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "an unknown position"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
