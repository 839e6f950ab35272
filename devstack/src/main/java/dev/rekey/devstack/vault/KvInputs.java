package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the fields of KV v2 request bodies with Vault's leniency (its "weak decoding": {@code "3"} is a fine int,
 * {@code "1,2"} a fine list of versions) and Vault's limits and messages for {@code custom_metadata}.
 */
final class KvInputs {

    private static final int MAX_CUSTOM_METADATA_KEYS = 64;
    private static final int MAX_CUSTOM_METADATA_KEY_LENGTH = 128;
    private static final int MAX_CUSTOM_METADATA_VALUE_LENGTH = 512;
    private static final String CUSTOM_METADATA_FAILED = "custom_metadata validation failed";

    private KvInputs() {
    }

    /** The {@code data} map of a write; Vault answers "no data provided" when it is absent. */
    static ObjectNode data(JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null || data.isNull()) {
            throw new VaultResponses.BadRequest("no data provided");
        }
        if (!data.isObject()) {
            throw new VaultResponses.BadRequest(VaultResponses.multiError(
                    List.of("'data' expected a map, got '" + data.getNodeType().name().toLowerCase() + "'")));
        }
        return (ObjectNode) data;
    }

    /** {@code options.cas}, or null when the write is not check-and-set. */
    static Long cas(JsonNode body) {
        JsonNode cas = body.path("options").get("cas");
        if (cas == null) {
            return null;
        }
        if (cas.isIntegralNumber()) {
            return cas.asLong();
        }
        if (cas.isTextual() && cas.asText().trim().matches("-?\\d{1,18}")) {
            return Long.parseLong(cas.asText().trim());
        }
        throw new VaultResponses.BadRequest("error parsing check-and-set parameter");
    }

    /** The {@code versions} of delete, undelete and destroy: a JSON array, a number, or {@code "1,2"}. */
    static List<Long> versions(JsonNode body) {
        JsonNode node = body.get("versions");
        List<Long> versions = new ArrayList<>();
        if (node == null || node.isNull()) {
            return versions;
        }
        if (node.isArray()) {
            node.forEach(element -> versions.add(integer(element, "versions")));
        } else if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    versions.add(integer(part, "versions"));
                }
            }
        } else {
            versions.add(integer(node, "versions"));
        }
        return versions;
    }

    static long integer(JsonNode node, String field) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            return integer(node.asText(), field);
        }
        throw new VaultResponses.BadRequest(VaultResponses.multiError(List.of(
                "error converting input " + node + " for field \"" + field + "\"")));
    }

    /** An integer given as text, as in a query parameter or a weakly typed JSON string. */
    static long integer(String text, String field) {
        if (text.trim().matches("-?\\d{1,18}")) {
            return Long.parseLong(text.trim());
        }
        throw new VaultResponses.BadRequest(VaultResponses.multiError(List.of(
                "error converting input " + text + " for field \"" + field + "\"")));
    }

    static int maxVersions(JsonNode node) {
        long value = integer(node, "max_versions");
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new VaultResponses.BadRequest("max_versions must be between 0 and " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    static boolean bool(JsonNode node, String field) {
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asText().trim().toLowerCase();
        if (text.equals("true") || text.equals("1")) {
            return true;
        }
        if (text.equals("false") || text.equals("0")) {
            return false;
        }
        throw new VaultResponses.BadRequest(VaultResponses.multiError(List.of(
                "error converting input " + node + " for field \"" + field + "\"")));
    }

    /** {@code delete_version_after}: seconds or a Go duration; Vault refuses a negative one. */
    static long deleteVersionAfter(JsonNode node) {
        long seconds = node.isIntegralNumber()
                ? node.asLong()
                : GoFormats.durationSeconds(node.asText(), "delete_version_after");
        if (seconds < 0) {
            throw new VaultResponses.BadRequest("delete_version_after cannot be negative");
        }
        return seconds;
    }

    /**
     * Parses and validates {@code custom_metadata}. Values are decoded to strings like Vault does (numbers and booleans
     * become text); with {@code dropNulls} (a merge patch) a null value is skipped, because it means "remove this key".
     */
    static Map<String, String> customMetadata(JsonNode node, boolean dropNulls) {
        if (!node.isObject()) {
            throw new VaultResponses.BadRequest(VaultResponses.multiError(List.of(
                    "'custom_metadata' expected a map, got '" + node.getNodeType().name().toLowerCase() + "'")));
        }
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (value.isNull() && dropNulls) {
                continue;
            }
            if (value.isContainerNode()) {
                throw new VaultResponses.BadRequest(CUSTOM_METADATA_FAILED + ": '' expected type 'string', got "
                        + "unconvertible type '" + (value.isObject() ? "map[string]interface {}" : "[]interface {}")
                        + "'");
            }
            String text = value.isNull() ? "" : value.isBoolean() ? (value.asBoolean() ? "1" : "0") : value.asText();
            values.put(entry.getKey(), text);
        }
        validate(values);
        return values;
    }

    /** Vault's limits: at most 64 keys, keys 1–128 and values 1–512 bytes, printable; every violation is listed. */
    private static void validate(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        if (values.size() > MAX_CUSTOM_METADATA_KEYS) {
            problems.add(String.format("%s: payload must contain at most %d keys, provided %d",
                    CUSTOM_METADATA_FAILED, MAX_CUSTOM_METADATA_KEYS, values.size()));
        } else {
            values.forEach((key, value) -> problems.addAll(problems(key, value)));
        }
        if (!problems.isEmpty()) {
            throw new VaultResponses.BadRequest(VaultResponses.multiError(problems));
        }
    }

    private static List<String> problems(String key, String value) {
        List<String> problems = new ArrayList<>();
        int keyLength = utf8Length(key);
        if (keyLength == 0 || keyLength > MAX_CUSTOM_METADATA_KEY_LENGTH) {
            problems.add(String.format("%s: length of key \"%s\" is %d but must be 0 < len(key) <= %d",
                    CUSTOM_METADATA_FAILED, key, keyLength, MAX_CUSTOM_METADATA_KEY_LENGTH));
        }
        int valueLength = utf8Length(value);
        if (valueLength == 0 || valueLength > MAX_CUSTOM_METADATA_VALUE_LENGTH) {
            problems.add(String.format("%s: length of value for key \"%s\" is %d but must be 0 < len(value) <= %d",
                    CUSTOM_METADATA_FAILED, key, valueLength, MAX_CUSTOM_METADATA_VALUE_LENGTH));
        }
        if (!printable(key)) {
            problems.add(String.format("%s: key \"%s\" contains unprintable characters", CUSTOM_METADATA_FAILED, key));
        }
        if (!printable(value)) {
            problems.add(String.format("%s: value for key \"%s\" contains unprintable characters",
                    CUSTOM_METADATA_FAILED, key));
        }
        return problems;
    }

    /** Go's {@code len} counts bytes. */
    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean printable(String text) {
        return text.codePoints().noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.UNASSIGNED
                || Character.getType(c) == Character.FORMAT);
    }
}
