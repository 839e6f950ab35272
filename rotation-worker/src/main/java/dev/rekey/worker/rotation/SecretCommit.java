package dev.rekey.worker.rotation;

import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The commit step: the verified value becomes the secret's next version with check-and-set on the version it was
 * derived from, the custom metadata records the rotation, and the pending record goes away. Each part is safe to
 * repeat after a crash.
 */
@ApplicationScoped
class SecretCommit {

    /** Data field of the new version naming the rotation that wrote it. */
    static final String DATA_ROTATION_ID = "rotation_id";
    static final String DATA_PASSWORD = "password";
    /** Custom metadata keys. */
    static final String META_ROTATION_ID = "rekey_rotation_id";
    static final String META_ROTATED_AT = "rekey_rotated_at";

    @Inject
    SecretStore store;

    /**
     * @return the committed version
     * @throws Restart when someone else wrote the secret since {@code base} was read
     */
    long commit(SecretPath path, SecretVersion base, SecretValue value, String rotationId) {
        Map<String, Object> data = base.dataWith(Map.of(DATA_PASSWORD, value.reveal(), DATA_ROTATION_ID, rotationId));
        OptionalLong written = store.write(path, data, base.version());
        long version = written.isPresent() ? written.getAsLong() : alreadyWritten(path, rotationId);
        recordInMetadata(path, base, rotationId);
        store.deletePending(path);
        return version;
    }

    /** Records the rotation in the secret's custom metadata, merged into the keys that are there. */
    void recordInMetadata(SecretPath path, SecretVersion current, String rotationId) {
        if (!rotationId.equals(current.customMetadata().get(META_ROTATION_ID))) {
            Map<String, String> metadata = new HashMap<>(current.customMetadata());
            metadata.put(META_ROTATION_ID, rotationId);
            metadata.put(META_ROTATED_AT, Instant.now().toString());
            store.writeCustomMetadata(path, metadata);
        }
    }

    /** Whether {@code current} already is this rotation's commit (recorded in the data or the metadata). */
    static boolean isCommitted(SecretVersion current, String rotationId) {
        return rotationId.equals(current.field(DATA_ROTATION_ID))
                || rotationId.equals(current.customMetadata().get(META_ROTATION_ID));
    }

    /** A check-and-set mismatch: our own write counts (a retried request whose answer was lost), any other not. */
    private long alreadyWritten(SecretPath path, String rotationId) {
        return store.readCurrent(path)
                .filter(now -> rotationId.equals(now.field(DATA_ROTATION_ID)))
                .map(SecretVersion::version)
                .orElseThrow(() -> new Restart(Restart.Why.COMMIT_CONFLICT));
    }
}
