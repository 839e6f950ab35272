package dev.rekey.worker.testing;

import dev.rekey.devstack.testing.SharedStack;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.Rest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The shared Vault dev server seen from outside the worker: seeding secrets and checking what the worker left. */
public final class TestVault {

    private static Vault vault;

    private TestVault() {
    }

    /** The current version of {@code mount/path} and its data, or null when there is none. */
    public record Current(long version, Map<String, String> data) {
    }

    public static synchronized Vault vault() throws VaultException {
        if (vault == null) {
            vault = Vault.create(new VaultConfig().address(SharedStack.vaultAddress()).token(SharedStack.vaultToken())
                    .engineVersion(2).build());
        }
        return vault;
    }

    public static long write(String logicalPath, Map<String, Object> data) throws VaultException {
        LogicalResponse response = vault().logical().write(logicalPath, data);
        require(response.getRestResponse().getStatus() == 200, "write " + logicalPath);
        return Long.parseLong(response.getData().get("version"));
    }

    public static Current read(String logicalPath) throws VaultException {
        LogicalResponse response = vault().logical().read(logicalPath);
        if (response.getRestResponse().getStatus() == 404) {
            return null;
        }
        require(response.getRestResponse().getStatus() == 200, "read " + logicalPath);
        return new Current(response.getDataMetadata().getVersion(), response.getData());
    }

    /** How many versions of {@code logicalPath} (those KV still keeps) carry {@code rotationId} in their data. */
    public static long versionsCarrying(String logicalPath, String rotationId) throws VaultException {
        Current current = read(logicalPath);
        long count = 0;
        for (long version = 1; current != null && version <= current.version(); version++) {
            LogicalResponse response = vault().logical().read(logicalPath, false, (int) version);
            if (response.getRestResponse().getStatus() == 200
                    && rotationId.equals(response.getData().get("rotation_id"))) {
                count++;
            }
        }
        return count;
    }

    /** The secret's custom metadata, read from {@code GET <mount>/metadata/<path>}. */
    public static Map<String, String> customMetadata(String mount, String path) throws Exception {
        var response = new Rest().url(SharedStack.vaultAddress() + "/v1/" + mount + "/metadata/" + path)
                .header("X-Vault-Token", SharedStack.vaultToken()).get();
        require(response.getStatus() == 200, "metadata of " + path);
        JsonObject data = Json.parse(new String(response.getBody(), StandardCharsets.UTF_8)).asObject()
                .get("data").asObject();
        Map<String, String> custom = new HashMap<>();
        if (data.get("custom_metadata") != null && data.get("custom_metadata").isObject()) {
            data.get("custom_metadata").asObject().forEach(m -> custom.put(m.getName(), m.getValue().asString()));
        }
        return custom;
    }

    public static void writeCustomMetadata(String mount, String path, Map<String, String> custom) throws Exception {
        JsonObject values = new JsonObject();
        custom.forEach(values::add);
        var response = new Rest().url(SharedStack.vaultAddress() + "/v1/" + mount + "/metadata/" + path)
                .header("X-Vault-Token", SharedStack.vaultToken())
                .body(new JsonObject().add("custom_metadata", values).toString().getBytes(StandardCharsets.UTF_8))
                .post();
        require(response.getStatus() == 204, "custom metadata of " + path);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected Vault answer: " + what);
        }
    }
}
