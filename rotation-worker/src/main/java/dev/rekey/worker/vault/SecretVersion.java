package dev.rekey.worker.vault;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of a KV v2 secret: its number, its data and the secret's custom metadata. Its {@code toString} names
 * the fields but never their values.
 */
public final class SecretVersion {

    private final long version;
    private final JsonObject data;
    private final Map<String, String> customMetadata;

    SecretVersion(long version, JsonObject data, Map<String, String> customMetadata) {
        this.version = version;
        this.data = data;
        this.customMetadata = Map.copyOf(customMetadata);
    }

    public long version() {
        return version;
    }

    /** A string field of the data, or null when it is absent or not a string. */
    public String field(String name) {
        JsonValue value = data.get(name);
        return value != null && value.isString() ? value.asString() : null;
    }

    public Map<String, String> customMetadata() {
        return customMetadata;
    }

    /** This version's data with {@code changes} applied; the other fields keep their JSON types. */
    public Map<String, Object> dataWith(Map<String, String> changes) {
        Map<String, Object> next = new LinkedHashMap<>();
        for (JsonObject.Member member : data) {
            next.put(member.getName(), member.getValue());
        }
        next.putAll(changes);
        return next;
    }

    @Override
    public String toString() {
        return "SecretVersion[version=" + version + ", fields=" + List.copyOf(data.names()) + "]";
    }
}
