package dev.rekey.worker.vault;

import dev.rekey.worker.secret.SecretValue;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.RestResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The KV v2 operations of the rotation protocol: read a secret's current version, check-and-set writes, custom
 * metadata, and the pending record. Every response status is checked (the driver returns 4xx instead of throwing):
 * 5xx, 429 and I/O errors raise {@link VaultUnavailableException}, other refusals {@link VaultRejectedException}.
 */
@ApplicationScoped
public class SecretStore {

    @Inject
    VaultClients clients;

    /** The current version, or empty when the secret does not exist or its current version is deleted. */
    public Optional<SecretVersion> readCurrent(SecretPath path) {
        String action = "reading " + path;
        LogicalResponse response = VaultCalls.call(action, () -> clients.vault().logical().read(path.logical()));
        int status = VaultCalls.status(response);
        if (status == 404) {
            return Optional.empty();
        }
        VaultCalls.requireSuccess(action, status);
        Map<String, String> metadata = response.getDataMetadata().getMetadataMap();
        JsonObject data = response.getDataObject() == null ? new JsonObject() : response.getDataObject();
        return Optional.of(new SecretVersion(Long.parseLong(metadata.get("version")), data,
                customMetadata(metadata.get("custom_metadata"))));
    }

    /** Writes a new version if the current one is still {@code cas}; empty when check-and-set did not match. */
    public OptionalLong write(SecretPath path, Map<String, Object> data, long cas) {
        String action = "writing " + path;
        LogicalResponse response = VaultCalls.call(action, () -> clients.vault().logical()
                .write(path.logical(), data, null, new WriteOptions().checkAndSet(cas).build()));
        int status = VaultCalls.status(response);
        if (status == 400 && body(response.getRestResponse()).contains("check-and-set")) {
            return OptionalLong.empty();
        }
        VaultCalls.requireSuccess(action, status);
        return OptionalLong.of(Long.parseLong(response.getData().get("version")));
    }

    /** Replaces the secret's custom metadata (Vault replaces the whole map: callers pass the merged one). */
    public void writeCustomMetadata(SecretPath path, Map<String, String> customMetadata) {
        JsonObject values = new JsonObject();
        customMetadata.forEach(values::add);
        byte[] body = new JsonObject().add("custom_metadata", values).toString().getBytes(StandardCharsets.UTF_8);
        String action = "writing the metadata of " + path;
        String metadataPath = path.mount() + "/metadata/" + path.path();
        RestResponse response = VaultCalls.callRest(action, () -> clients.request(metadataPath)
                .header("Content-Type", "application/json").body(body).post());
        VaultCalls.requireSuccess(action, response.getStatus());
    }

    /** The pending record of {@code secret}, if any. */
    public Optional<PendingRecord> readPending(SecretPath secret) {
        return readCurrent(secret.pending()).map(pending -> new PendingRecord(
                pending.field(PendingRecord.ROTATION_ID),
                pending.field(PendingRecord.PASSWORD) == null ? null : SecretValue.of(pending.field(PendingRecord.PASSWORD)),
                parseInstant(pending.field(PendingRecord.CREATED_AT)),
                pending.version()));
    }

    /**
     * Writes the pending record with check-and-set: {@code cas} 0 creates it only if there is none, otherwise it
     * replaces the version that was read. Empty when someone else wrote it in between.
     */
    public Optional<PendingRecord> writePending(SecretPath secret, String rotationId, SecretValue password, long cas) {
        Instant now = Instant.now();
        Map<String, Object> data = Map.of(PendingRecord.ROTATION_ID, rotationId,
                PendingRecord.PASSWORD, password.reveal(), PendingRecord.CREATED_AT, now.toString());
        return write(secret.pending(), data, cas).stream().boxed().findFirst()
                .map(version -> new PendingRecord(rotationId, password, now, version));
    }

    /** Removes the pending record with all its versions (KV v2 metadata delete); absent is fine. */
    public void deletePending(SecretPath secret) {
        String action = "deleting the pending record of " + secret;
        try {
            clients.vault().logical().delete(secret.pending().logical());
        } catch (VaultException e) {
            throw VaultCalls.failure(action, Math.max(0, e.getHttpStatusCode()));
        }
    }

    private static String body(RestResponse response) {
        return response.getBody() == null ? "" : new String(response.getBody(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> customMetadata(String json) {
        Map<String, String> values = new HashMap<>();
        if (json == null || json.isBlank() || "null".equals(json)) {
            return values;
        }
        JsonValue parsed = Json.parse(json);
        if (parsed.isObject()) {
            for (JsonObject.Member member : parsed.asObject()) {
                values.put(member.getName(), member.getValue().isString()
                        ? member.getValue().asString() : member.getValue().toString());
            }
        }
        return values;
    }

    private static Instant parseInstant(String value) {
        try {
            return value == null ? Instant.EPOCH : Instant.parse(value);
        } catch (RuntimeException e) {
            return Instant.EPOCH; // unreadable: treated as abandoned long ago
        }
    }
}
