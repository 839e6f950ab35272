package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings a {@code POST} or {@code PATCH metadata/:key} body changes. Parsed and validated before the key is
 * locked, so a bad body changes nothing. For a merge patch an explicit {@code null} resets a setting and a null
 * {@code custom_metadata} value removes that one entry (RFC 7386); for a POST a null field is as good as absent.
 */
final class MetadataChange {

    private Integer maxVersions;
    private Boolean casRequired;
    private Long deleteVersionAfterSeconds;
    private Map<String, String> customMetadata;
    private final Set<String> removedCustomKeys = new HashSet<>();
    private final Set<String> present = new HashSet<>();

    private MetadataChange() {
    }

    static MetadataChange parse(JsonNode body, boolean mergePatch) {
        MetadataChange change = new MetadataChange();
        JsonNode node = body.get("max_versions");
        if (change.mark("max_versions", node, mergePatch) && !node.isNull()) {
            change.maxVersions = KvInputs.maxVersions(node);
        }
        node = body.get("cas_required");
        if (change.mark("cas_required", node, mergePatch) && !node.isNull()) {
            change.casRequired = KvInputs.bool(node, "cas_required");
        }
        node = body.get("delete_version_after");
        if (change.mark("delete_version_after", node, mergePatch) && !node.isNull()) {
            change.deleteVersionAfterSeconds = KvInputs.deleteVersionAfter(node);
        }
        node = body.get("custom_metadata");
        if (change.mark("custom_metadata", node, mergePatch) && !node.isNull()) {
            change.customMetadata = KvInputs.customMetadata(node, mergePatch);
            if (mergePatch) {
                node.properties().forEach(field -> {
                    if (field.getValue().isNull()) {
                        change.removedCustomKeys.add(field.getKey());
                    }
                });
            }
        }
        return change;
    }

    /** Records whether a field takes part: present and, unless this is a merge patch, not null. */
    private boolean mark(String field, JsonNode node, boolean mergePatch) {
        boolean takesPart = node != null && (mergePatch || !node.isNull());
        if (takesPart) {
            present.add(field);
        }
        return takesPart;
    }

    boolean isEmpty() {
        return present.isEmpty();
    }

    /** Applies the change; the caller holds the secret's monitor. */
    void applyTo(KvSecret secret, boolean mergePatch) {
        if (present.contains("max_versions")) {
            secret.maxVersions = maxVersions == null ? 0 : maxVersions;
        }
        if (present.contains("cas_required")) {
            secret.casRequired = casRequired != null && casRequired;
        }
        if (present.contains("delete_version_after")) {
            secret.deleteVersionAfterSeconds = deleteVersionAfterSeconds == null ? 0 : deleteVersionAfterSeconds;
        }
        if (present.contains("custom_metadata")) {
            if (customMetadata == null) {
                secret.customMetadata = null;
            } else if (mergePatch) {
                Map<String, String> merged = secret.customMetadataOrEmpty();
                removedCustomKeys.forEach(merged::remove);
                merged.putAll(customMetadata);
            } else {
                secret.customMetadata = new TreeMap<>(customMetadata);
            }
        }
    }
}
