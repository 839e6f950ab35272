package dev.rekey.worker.rotation;

import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which rotations a secret has committed, so that a redelivered rotation is replayed instead of run twice. A commit
 * writes the rotation id into the new version's data ({@code rotation_id}); just before it, the rotation record
 * {@code rekey_r_<rotationId> = <version>} goes into the secret's custom metadata (a merge, so concurrent records
 * are kept). The record alone proves nothing (the commit may not have happened); the version it names does: it is
 * committed when that version carries the rotation id. Written before the commit, a record exists for every commit,
 * even when a crash stops the run right after it. The newest {@value #KEPT} records are kept.
 */
@ApplicationScoped
class RotationRecords {

    static final String DATA_ROTATION_ID = "rotation_id";
    static final String PREFIX = "rekey_r_";
    static final int KEPT = 16;

    private final SecretStore secrets;

    RotationRecords(SecretStore secrets) {
        this.secrets = secrets;
    }

    /** The version that committed {@code rotationId}, if it was committed. */
    OptionalLong committedVersion(SecretPath path, SecretVersion current, String rotationId) {
        if (rotationId.equals(current.field(DATA_ROTATION_ID))) {
            return OptionalLong.of(current.version());
        }
        long named = versionIn(current.customMetadata().get(PREFIX + rotationId));
        if (named <= 0 || named >= current.version()) {
            return OptionalLong.empty(); // never recorded, or a commit that did not happen (the current one is not it)
        }
        // a version KV v2 no longer keeps (max_versions) is taken as committed: replaying is safe, rotating twice not
        return secrets.readVersion(path, named)
                .map(version -> rotationId.equals(version.field(DATA_ROTATION_ID))
                        ? OptionalLong.of(named) : OptionalLong.empty())
                .orElse(OptionalLong.of(named));
    }

    /** Whether rekey ever rotated this secret: else its pending path has never been written either. */
    boolean anyIn(SecretVersion current) {
        return current.field(DATA_ROTATION_ID) != null
                || current.customMetadata().keySet().stream().anyMatch(key -> key.startsWith(PREFIX));
    }

    /** Records that {@code rotationId} commits {@code version}, dropping the oldest records beyond {@value #KEPT}. */
    void record(SecretPath path, SecretVersion current, String rotationId, long version) {
        Map<String, String> changes = new HashMap<>();
        changes.put(PREFIX + rotationId, Long.toString(version));
        List<String> older = current.customMetadata().entrySet().stream()
                .filter(e -> e.getKey().startsWith(PREFIX) && !e.getKey().equals(PREFIX + rotationId))
                .sorted(Comparator.comparingLong((Map.Entry<String, String> e) -> versionIn(e.getValue())).reversed())
                .map(Map.Entry::getKey)
                .toList();
        older.stream().skip(KEPT - 1).forEach(key -> changes.put(key, null));
        secrets.mergeCustomMetadata(path, changes);
    }

    private static long versionIn(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
