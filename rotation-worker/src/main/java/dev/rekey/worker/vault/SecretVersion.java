package dev.rekey.worker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One version of a KV v2 secret: its number, its data and the secret's custom metadata. Its {@code toString} names
 * the fields but never their values.
 */
public final class SecretVersion {

    private final long version;
    private final ObjectNode data;
    private final Map<String, String> customMetadata;

    SecretVersion(long version, ObjectNode data, Map<String, String> customMetadata) {
        this.version = version;
        this.data = data;
        this.customMetadata = Map.copyOf(customMetadata);
    }

    public long version() {
        return version;
    }

    /** A string field of the data, or null when it is absent or not a string. */
    public String field(String name) {
        JsonNode value = data.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** The secret's custom metadata (the same for every version: KV v2 keeps it per secret). */
    public Map<String, String> customMetadata() {
        return customMetadata;
    }

    /** This version's data with {@code changes} applied; the other fields keep their JSON types. */
    public ObjectNode dataWith(Map<String, String> changes) {
        ObjectNode next = data.deepCopy();
        changes.forEach(next::put);
        return next;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        return "SecretVersion[version=" + version + ", fields=" + names + "]";
    }
}
