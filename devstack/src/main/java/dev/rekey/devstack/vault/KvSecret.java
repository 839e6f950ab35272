package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One key of a KV v2 mount: its versions and its key metadata, the in-memory twin of Vault's {@code KeyMetadata}.
 * Not thread-safe by itself: {@link KvV2Store} reads and changes it only while holding its monitor.
 */
final class KvSecret {

    /** Vault keeps 10 versions when neither the key nor the mount configures {@code max_versions}. */
    static final int DEFAULT_MAX_VERSIONS = 10;

    /** One version; {@code data} is null once destroyed. */
    static final class Version {
        final Instant createdTime;
        Instant deletionTime;
        boolean destroyed;
        ObjectNode data;

        Version(Instant createdTime, Instant deletionTime, ObjectNode data) {
            this.createdTime = createdTime;
            this.deletionTime = deletionTime;
            this.data = data;
        }

        /** Deleted once its deletion time has come; a {@code delete_version_after} time may lie in the future. */
        boolean deletedAt(Instant now) {
            return deletionTime != null && !deletionTime.isAfter(now);
        }
    }

    final TreeMap<Long, Version> versions = new TreeMap<>();
    long currentVersion;
    /** Stays 0 until the first trim, as in Vault. */
    long oldestVersion;
    int maxVersions;
    boolean casRequired;
    long deleteVersionAfterSeconds;
    /** Null until set: Vault answers {@code "custom_metadata": null} for a key that never had any. */
    Map<String, String> customMetadata;
    Instant createdTime;
    Instant updatedTime;

    /** True once the key exists in Vault's sense: a version or a metadata write happened. Read without the lock. */
    volatile boolean persisted;
    /** True once the key was deleted from the store; a thread that locked a removed secret starts over. */
    volatile boolean removed;

    /** Adds the next version and trims the oldest beyond {@code max_versions}, as Vault's {@code AddVersion} does. */
    Version addVersion(ObjectNode data, Instant now) {
        Instant deletion = deleteVersionAfterSeconds > 0 ? now.plusSeconds(deleteVersionAfterSeconds) : null;
        Version version = new Version(now, deletion, data);
        currentVersion++;
        versions.put(currentVersion, version);
        updatedTime = now;
        if (createdTime == null) {
            createdTime = now;
        }
        persisted = true;

        int keep = maxVersions > 0 ? maxVersions : DEFAULT_MAX_VERSIONS;
        if (currentVersion - oldestVersion >= keep) {
            long lastToDrop = currentVersion - keep;
            versions.headMap(lastToDrop, true).clear();
            oldestVersion = lastToDrop + 1;
        }
        return version;
    }

    Map<String, String> customMetadataOrEmpty() {
        if (customMetadata == null) {
            customMetadata = new TreeMap<>();
        }
        return customMetadata;
    }
}
