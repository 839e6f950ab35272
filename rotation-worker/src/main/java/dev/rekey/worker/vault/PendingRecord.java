package dev.rekey.worker.vault;

import dev.rekey.worker.secret.SecretValue;

import java.time.Instant;

/**
 * The write-ahead record of a rotation in progress, at {@code <mount>/rekey-pending/<path>}: the new value is stored
 * here before the downstream is touched, so that a crash never leaves the downstream with a value Vault does not know.
 *
 * @param rotationId the rotation that wrote it
 * @param createdAt  when it was written; a record older than the pending lease is considered abandoned
 * @param version    the record's KV version, for check-and-set when it is taken over
 */
public record PendingRecord(String rotationId, SecretValue password, Instant createdAt, long version) {

    /** Vault data field names. */
    static final String ROTATION_ID = "rotation_id";
    static final String PASSWORD = "password";
    static final String CREATED_AT = "created_at";
}
