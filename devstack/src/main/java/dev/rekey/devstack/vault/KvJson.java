package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

import static dev.rekey.devstack.vault.VaultResponses.object;

/** The JSON the KV v2 engine answers with, and the two JSON transformations it applies to secret data. */
final class KvJson {

    private KvJson() {
    }

    /** Keys in Go's order (sorted), since Vault marshals these as maps. */
    static ObjectNode versionMetadata(KvSecret secret, long number, KvSecret.Version version) {
        ObjectNode metadata = object();
        metadata.put("created_time", GoFormats.time(version.createdTime));
        metadata.set("custom_metadata", customMetadataJson(secret));
        metadata.put("deletion_time", GoFormats.time(version.deletionTime));
        metadata.put("destroyed", version.destroyed);
        metadata.put("version", number);
        return metadata;
    }

    static ObjectNode keyMetadata(KvSecret secret) {
        ObjectNode data = object();
        data.put("cas_required", secret.casRequired);
        data.put("created_time", GoFormats.time(secret.createdTime));
        data.put("current_version", secret.currentVersion);
        data.set("custom_metadata", customMetadataJson(secret));
        data.put("delete_version_after", GoFormats.duration(secret.deleteVersionAfterSeconds));
        data.put("max_versions", secret.maxVersions);
        data.put("oldest_version", secret.oldestVersion);
        data.put("updated_time", GoFormats.time(secret.updatedTime));
        ObjectNode versions = data.putObject("versions");
        Map<String, KvSecret.Version> byName = new TreeMap<>(); // Go sorts map keys as strings: "1", "10", "2"
        secret.versions.forEach((number, version) -> byName.put(Long.toString(number), version));
        byName.forEach((name, version) -> {
            ObjectNode entry = versions.putObject(name);
            entry.put("created_time", GoFormats.time(version.createdTime));
            entry.put("deletion_time", GoFormats.time(version.deletionTime));
            entry.put("destroyed", version.destroyed);
        });
        return data;
    }

    private static JsonNode customMetadataJson(KvSecret secret) {
        if (secret.customMetadata == null) {
            return NullNode.instance;
        }
        ObjectNode json = object();
        new TreeMap<>(secret.customMetadata).forEach(json::put);
        return json;
    }

    /** A deep copy with object keys sorted, as Vault's JSON round trip through Go maps returns them. */
    static JsonNode sortedCopy(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = object();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
            fields.forEach((name, value) -> copy.set(name, sortedCopy(value)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = VaultResponses.JSON.createArrayNode();
            node.forEach(element -> copy.add(sortedCopy(element)));
            return copy;
        }
        return node; // value nodes are immutable
    }

    /** RFC 7386 JSON merge patch, which Vault applies for {@code PATCH data/:key}. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : object();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }
}
