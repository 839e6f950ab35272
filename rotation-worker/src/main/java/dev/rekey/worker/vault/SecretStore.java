package dev.rekey.worker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The KV v2 operations on a credential's secret: read a version, write by check-and-set, merge custom metadata.
 * Every status is checked: 5xx, 429 and I/O errors raise {@link VaultUnavailableException}, other refusals
 * {@link VaultRejectedException}; a check-and-set mismatch is an answer, not an error.
 */
@ApplicationScoped
public class SecretStore {

    private final VaultHttp vault;

    public SecretStore(VaultHttp vault) {
        this.vault = vault;
    }

    /** The current version, or empty when the secret does not exist or its current version is deleted. */
    public Optional<SecretVersion> readCurrent(SecretPath path) {
        return read(path, path.mount() + "/data/" + path.path(), "reading " + path);
    }

    /** Version {@code version}, or empty when it does not exist (any more) or is deleted or destroyed. */
    public Optional<SecretVersion> readVersion(SecretPath path, long version) {
        return read(path, path.mount() + "/data/" + path.path() + "?version=" + version,
                "reading version " + version + " of " + path);
    }

    /**
     * Writes a new version if the current one is still {@code cas} (0: only if the secret has no version yet).
     *
     * @return the new version, or empty when check-and-set did not match
     */
    public OptionalLong write(SecretPath path, ObjectNode data, long cas) {
        String action = "writing " + path;
        ObjectNode body = VaultHttp.object();
        body.set("data", data);
        body.putObject("options").put("cas", cas);
        VaultHttp.Reply reply = vault.post(path.mount() + "/data/" + path.path(), body, action);
        if (reply.isCheckAndSetMismatch()) {
            return OptionalLong.empty();
        }
        VaultCalls.requireSuccess(action, reply.status());
        return OptionalLong.of(reply.body().path("data").path("version").asLong());
    }

    /**
     * Merges {@code changes} into the secret's custom metadata (a JSON merge patch, so that concurrent changes of other
     * keys are kept); a null value removes its key.
     */
    public void mergeCustomMetadata(SecretPath path, Map<String, String> changes) {
        String action = "writing the metadata of " + path;
        ObjectNode body = VaultHttp.object();
        ObjectNode custom = body.putObject("custom_metadata");
        changes.forEach((key, value) -> {
            if (value == null) {
                custom.putNull(key);
            } else {
                custom.put(key, value);
            }
        });
        VaultHttp.Reply reply = vault.patch(path.mount() + "/metadata/" + path.path(), body, action);
        VaultCalls.requireSuccess(action, reply.status());
    }

    private Optional<SecretVersion> read(SecretPath path, String apiPath, String action) {
        VaultHttp.Reply reply = vault.get(apiPath, action);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        VaultCalls.requireSuccess(action, reply.status());
        JsonNode data = reply.body().path("data");
        JsonNode values = data.path("data");
        JsonNode metadata = data.path("metadata");
        return Optional.of(new SecretVersion(metadata.path("version").asLong(),
                values.isObject() ? (ObjectNode) values : VaultHttp.object(),
                customMetadata(metadata.path("custom_metadata"))));
    }

    private static Map<String, String> customMetadata(JsonNode custom) {
        Map<String, String> values = new HashMap<>();
        if (custom.isObject()) {
            custom.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        }
        return values;
    }
}
