package dev.rekey.worker.vault;

import dev.rekey.worker.secret.SecretValue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write-ahead record of a rotation in progress, the current version of {@code <mount>/rekey-pending/<path>}:
 * the new value is stored here before the downstream is touched, so that the downstream never holds a value that
 * Vault does not know.
 *
 * @param rotationId  the rotation it belongs to
 * @param username    the downstream user the value is for (with the alternating strategy, the inactive one)
 * @param baseVersion the secret's version the rotation started from; a tombstone that replaces the record carries
 *                    it on, so that a rotation that read an older version cannot start a new record
 * @param holder      the run that holds the lease (a random id per run)
 * @param leaseUntil  until when the holder may work on it without renewing; after that, anyone may claim it
 * @param version     its version on the pending path, for check-and-set
 */
public record PendingRecord(String rotationId, String username, SecretValue password, long baseVersion,
                            String holder, Instant leaseUntil, long version) {

    static final String ROTATION_ID = "rotation_id";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String BASE_VERSION = "base_version";
    static final String HOLDER = "holder";
    static final String LEASE_UNTIL = "lease_until";

    /** The same record held by {@code holder} until {@code until} (a claim or a renewal), version unknown yet. */
    public PendingRecord heldBy(String holder, Instant until) {
        return new PendingRecord(rotationId, username, password, baseVersion, holder, until, version);
    }

    public PendingRecord atVersion(long newVersion) {
        return new PendingRecord(rotationId, username, password, baseVersion, holder, leaseUntil, newVersion);
    }

    /** Whether another run than {@code run} still holds the lease at {@code now}. */
    public boolean heldByOtherThan(String run, Instant now) {
        return !run.equals(holder) && leaseUntil.isAfter(now);
    }

    Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(ROTATION_ID, rotationId);
        data.put(USERNAME, username);
        data.put(PASSWORD, password.reveal());
        data.put(BASE_VERSION, Long.toString(baseVersion));
        data.put(HOLDER, holder);
        data.put(LEASE_UNTIL, leaseUntil.toString());
        return data;
    }

    @Override
    public String toString() {
        return "PendingRecord[rotation " + rotationId + ", user " + username + ", version " + version + ", base "
                + baseVersion + ", holder " + holder + ", lease until " + leaseUntil + "]";
    }
}
