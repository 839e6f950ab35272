package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static dev.rekey.devstack.vault.VaultResponses.envelope;
import static dev.rekey.devstack.vault.VaultResponses.object;

/**
 * The state and the operations of one KV version 2 mount, with the semantics of Vault's {@code vault-plugin-secrets-kv}
 * (check-and-set, soft delete, destroy, {@code max_versions} trimming, custom metadata). Thread-safe: keys live in a
 * concurrent map and each key's operations run under that key's monitor, so writes to one key are serialised and
 * writes to different keys run in parallel.
 */
final class KvV2Store {

    private static final String MOUNT_TYPE = "kv";

    private final ConcurrentHashMap<String, KvSecret> secrets = new ConcurrentHashMap<>();

    /** Whether the key has metadata: Vault's existence check, which makes a write a create or an update. */
    boolean exists(String key) {
        KvSecret secret = secrets.get(key);
        return secret != null && secret.persisted && !secret.removed;
    }

    /** {@code GET data/:key?version=N}; version 0 means the current one. */
    Reply readData(String key, long version) {
        return withSecret(key, false, secret -> {
            if (secret == null) {
                return Reply.notFound();
            }
            long number = version > 0 ? version : secret.currentVersion;
            KvSecret.Version found = secret.versions.get(number);
            if (found == null) {
                return Reply.notFound();
            }
            boolean gone = found.destroyed || found.deletedAt(Instant.now());
            ObjectNode data = object();
            data.set("data", gone ? NullNode.instance : found.data);
            data.set("metadata", KvJson.versionMetadata(secret, number, found));
            // Vault answers a deleted or destroyed version with 404 and the version's metadata; the body is marshalled
            // inside the plugin, before the router sets mount_type, hence the empty mount_type.
            return gone ? new Reply(404, envelope(data, "")) : Reply.ok(envelope(data, MOUNT_TYPE));
        });
    }

    /** {@code POST/PUT data/:key}: a new version, honouring {@code options.cas} and {@code cas_required}. */
    Reply writeData(String key, JsonNode body) {
        ObjectNode data = (ObjectNode) KvJson.sortedCopy(KvInputs.data(body));
        Long cas = KvInputs.cas(body);
        return withSecret(key, true, secret -> {
            checkAndSet(secret, cas);
            KvSecret.Version added = secret.addVersion(data, Instant.now());
            return Reply.ok(envelope(KvJson.versionMetadata(secret, secret.currentVersion, added), MOUNT_TYPE));
        });
    }

    /** {@code PATCH data/:key}: a JSON merge patch of the current version, written as a new version. */
    Reply patchData(String key, JsonNode body) {
        ObjectNode patch = KvInputs.data(body);
        Long cas = KvInputs.cas(body);
        return withSecret(key, false, secret -> {
            if (secret == null) {
                return Reply.notFound();
            }
            checkAndSet(secret, cas);
            KvSecret.Version current = secret.versions.get(secret.currentVersion);
            if (current == null) {
                return Reply.notFound();
            }
            if (current.destroyed || current.deletedAt(Instant.now())) {
                return new Reply(404, envelope(KvJson.versionMetadata(secret, secret.currentVersion, current), ""));
            }
            ObjectNode merged = (ObjectNode) KvJson.sortedCopy(KvJson.mergePatch(current.data, patch));
            KvSecret.Version added = secret.addVersion(merged, Instant.now());
            return Reply.ok(envelope(KvJson.versionMetadata(secret, secret.currentVersion, added), MOUNT_TYPE));
        });
    }

    /** {@code DELETE data/:key}: soft-deletes the current version (nothing happens if it is already gone). */
    Reply deleteLatest(String key) {
        return withSecret(key, false, secret -> {
            Instant now = Instant.now();
            KvSecret.Version latest = secret == null ? null : secret.versions.get(secret.currentVersion);
            if (latest != null && !latest.destroyed && !latest.deletedAt(now)) {
                latest.deletionTime = now;
            }
            return Reply.noContent();
        });
    }

    /** {@code POST delete/:key}: soft-deletes the listed versions. */
    Reply deleteVersions(String key, JsonNode body) {
        List<Long> numbers = requireVersions(body, "No version number provided");
        return forEachVersion(key, numbers, (secret, version, now) -> {
            if (!version.deletedAt(now)) {
                version.deletionTime = now;
            }
        });
    }

    /** {@code POST undelete/:key}: restores soft-deleted versions (a destroyed one stays destroyed). */
    Reply undeleteVersions(String key, JsonNode body) {
        List<Long> numbers = requireVersions(body, "No version number provided");
        return forEachVersion(key, numbers, (secret, version, now) -> version.deletionTime =
                secret.deleteVersionAfterSeconds > 0 ? now.plusSeconds(secret.deleteVersionAfterSeconds) : null);
    }

    /** {@code POST destroy/:key}: drops the data of the listed versions for good. */
    Reply destroyVersions(String key, JsonNode body) {
        List<Long> numbers = requireVersions(body, "no version number provided");
        return forEachVersion(key, numbers, (secret, version, now) -> {
            version.destroyed = true;
            version.data = null;
        });
    }

    /** {@code GET metadata/:key}. */
    Reply readMetadata(String key) {
        return withSecret(key, false, secret -> secret == null
                ? Reply.notFound()
                : Reply.ok(envelope(KvJson.keyMetadata(secret), MOUNT_TYPE)));
    }

    /** {@code POST metadata/:key}: creates or updates the key's settings; {@code custom_metadata} is replaced whole. */
    Reply writeMetadata(String key, JsonNode body) {
        MetadataChange change = MetadataChange.parse(body, false);
        if (change.isEmpty()) {
            return Reply.noContent(); // Vault's fast path: nothing to set, nothing created
        }
        return withSecret(key, true, secret -> {
            if (!secret.persisted) {
                secret.createdTime = Instant.now();
                secret.updatedTime = secret.createdTime;
                secret.persisted = true;
            }
            change.applyTo(secret, false);
            return Reply.noContent();
        });
    }

    /** {@code PATCH metadata/:key}: merges into existing settings; a null custom_metadata value removes that key. */
    Reply patchMetadata(String key, JsonNode body) {
        MetadataChange change = MetadataChange.parse(body, true);
        return withSecret(key, false, secret -> {
            if (secret == null) {
                return Reply.notFound();
            }
            change.applyTo(secret, true);
            return Reply.noContent();
        });
    }

    /** {@code DELETE metadata/:key}: removes every version and the metadata. */
    Reply deleteMetadata(String key) {
        return withSecret(key, false, secret -> {
            if (secret != null) {
                secret.persisted = false; // withSecret then takes it out of the map
            }
            return Reply.noContent();
        });
    }

    /** {@code LIST metadata/:folder}: the direct children, folders ending in "/"; 404 when there are none. */
    Reply list(String folder) {
        String prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        TreeSet<String> keys = new TreeSet<>();
        secrets.forEach((key, secret) -> {
            if (secret.persisted && !secret.removed && key.startsWith(prefix) && key.length() > prefix.length()) {
                String rest = key.substring(prefix.length());
                int slash = rest.indexOf('/');
                keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        });
        if (keys.isEmpty()) {
            return Reply.notFound();
        }
        ObjectNode data = object();
        ArrayNode list = data.putArray("keys");
        keys.forEach(list::add);
        return Reply.ok(envelope(data, MOUNT_TYPE));
    }

    /**
     * Runs {@code operation} under the key's monitor. A key created here but left without a version or metadata (a
     * check-and-set that failed, say) is taken out again, and so is a key the operation marked as no longer persisted.
     * Operations that must not create get {@code null} for an absent key.
     */
    private Reply withSecret(String key, boolean create, Function<KvSecret, Reply> operation) {
        while (true) {
            KvSecret secret = create ? secrets.computeIfAbsent(key, k -> new KvSecret()) : secrets.get(key);
            if (secret == null) {
                return operation.apply(null);
            }
            synchronized (secret) {
                if (secret.removed) {
                    continue; // deleted while we waited for the lock: look the key up again
                }
                try {
                    return operation.apply(create || secret.persisted ? secret : null);
                } finally {
                    if (!secret.persisted) {
                        secret.removed = true;
                        secrets.remove(key, secret);
                    }
                }
            }
        }
    }

    private interface VersionChange {
        void apply(KvSecret secret, KvSecret.Version version, Instant now);
    }

    private Reply forEachVersion(String key, List<Long> numbers, VersionChange change) {
        return withSecret(key, false, secret -> {
            Instant now = Instant.now();
            for (long number : numbers) {
                KvSecret.Version version = secret == null ? null : secret.versions.get(number);
                if (version != null && !version.destroyed) {
                    change.apply(secret, version, now);
                }
            }
            return Reply.noContent();
        });
    }

    private static List<Long> requireVersions(JsonNode body, String missing) {
        List<Long> numbers = KvInputs.versions(body);
        if (numbers.isEmpty()) {
            throw new BadRequest(missing);
        }
        return numbers;
    }

    /** Vault's {@code validateCheckAndSetOption}; cas 0 matches a key without versions. */
    private static void checkAndSet(KvSecret secret, Long cas) {
        if (cas != null) {
            if (cas != secret.currentVersion) {
                throw new BadRequest("check-and-set parameter did not match the current version");
            }
        } else if (secret.casRequired) {
            throw new BadRequest("check-and-set parameter required for this call");
        }
    }
}
