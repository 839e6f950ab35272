package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.util.List;
import java.util.Map;

/**
 * Maps a request inside a KV v2 mount ({@code data/}, {@code metadata/}, {@code delete/}, {@code undelete/},
 * {@code destroy/}) to the store, with Vault's answers for paths and operations the engine does not have.
 */
final class KvV2Routes {

    /** Vault's logical operations, derived from the HTTP method (and {@code ?list=true} on a GET). */
    enum Operation { READ, LIST, UPDATE, DELETE, PATCH }

    private static final Reply UNSUPPORTED_PATH =
            Reply.error(404, VaultResponses.multiError(List.of("unsupported path")));
    private static final Reply UNSUPPORTED_OPERATION =
            Reply.error(405, VaultResponses.multiError(List.of("unsupported operation")));

    private KvV2Routes() {
    }

    /** Vault's 404 for a path no backend serves: {@code "1 error occurred:\n\t* unsupported path\n\n"}. */
    static Reply unsupportedPath() {
        return UNSUPPORTED_PATH;
    }

    /** Vault's 405 for an operation a path does not have. */
    static Reply unsupportedOperation() {
        return UNSUPPORTED_OPERATION;
    }

    /**
     * Whether a write to {@code path} creates rather than updates: KV v2 checks the existence of the key's metadata
     * for {@code data/} and {@code metadata/}; its other paths have no existence check, so writes there are updates.
     */
    static boolean creates(KvV2Store store, String path) {
        int slash = path.indexOf('/');
        String endpoint = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        return (endpoint.equals("data") || endpoint.equals("metadata")) && !key.isEmpty() && !store.exists(key);
    }

    /**
     * @param path the path below the mount, e.g. {@code data/app/db}
     * @param body the parsed JSON body (an empty object when there was none)
     */
    static Reply dispatch(KvV2Store store, String path, Operation operation, Map<String, String> query,
            JsonNode body) {
        int slash = path.indexOf('/');
        String endpoint = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        return switch (endpoint) {
            case "data" -> data(store, key, operation, query, body);
            case "metadata" -> metadata(store, key, operation, body);
            case "delete" -> operation == Operation.UPDATE ? store.deleteVersions(key, body) : UNSUPPORTED_OPERATION;
            case "undelete" ->
                    operation == Operation.UPDATE ? store.undeleteVersions(key, body) : UNSUPPORTED_OPERATION;
            case "destroy" -> operation == Operation.UPDATE ? store.destroyVersions(key, body) : UNSUPPORTED_OPERATION;
            default -> UNSUPPORTED_PATH;
        };
    }

    private static Reply data(KvV2Store store, String key, Operation operation, Map<String, String> query,
            JsonNode body) {
        // Vault's pattern for data/ is ".*?[^/]$": a key, never a folder.
        if (key.isEmpty() || key.endsWith("/")) {
            return UNSUPPORTED_PATH;
        }
        return switch (operation) {
            case READ -> store.readData(key, version(query));
            case UPDATE -> store.writeData(key, body);
            case PATCH -> store.patchData(key, body);
            case DELETE -> store.deleteLatest(key);
            case LIST -> UNSUPPORTED_OPERATION;
        };
    }

    private static Reply metadata(KvV2Store store, String key, Operation operation, JsonNode body) {
        return switch (operation) {
            case READ -> store.readMetadata(key);
            case LIST -> store.list(key);
            case UPDATE -> store.writeMetadata(key, body);
            case PATCH -> store.patchMetadata(key, body);
            case DELETE -> store.deleteMetadata(key);
        };
    }

    private static long version(Map<String, String> query) {
        String version = query.get("version");
        return version == null || version.isEmpty() ? 0 : KvInputs.integer(version, "version");
    }
}
