package dev.rekey.worker.vault;

import java.util.Optional;

/**
 * What the pending path of a secret holds now: a {@link PendingRecord}, a tombstone, or nothing yet.
 *
 * @param version               the path's current version (0 when it never had one): every write to it is a
 *                              check-and-set on this version
 * @param record                the live record, when the current version is one
 * @param secretVersionAtLeast  a tombstone's promise that the secret is at this version or later (0 when there is
 *                              no tombstone): a rotation that read an older version must read it again before it
 *                              creates a record
 */
public record PendingSlot(long version, Optional<PendingRecord> record, long secretVersionAtLeast) {

    /** Tombstone fields. */
    static final String DONE_ROTATION_ID = "done_rotation_id";
    static final String SECRET_VERSION_AT_LEAST = "secret_version_at_least";

    public static PendingSlot empty(long version) {
        return new PendingSlot(version, Optional.empty(), 0);
    }
}
