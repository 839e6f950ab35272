package dev.rekey.worker.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.worker.secret.SecretValue;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pending path of a secret, {@code <mount>/rekey-pending/<path>} (KV v2): a record while a rotation works, a
 * tombstone after it. Every write is a check-and-set on the version just read, so that a worker only ever replaces
 * what it has seen: it never removes or overwrites another run's newer record. A record is "removed" by writing a
 * tombstone over it (KV v2 has no check-and-set delete); older versions keep values that are either committed in
 * the secret or no longer in force.
 */
@ApplicationScoped
public class PendingStore {

    private final VaultHttp vault;

    public PendingStore(VaultHttp vault) {
        this.vault = vault;
    }

    public PendingSlot read(SecretPath secret) {
        SecretPath path = secret.pending();
        String action = "reading the pending record of " + secret;
        VaultHttp.Reply reply = vault.get(path.mount() + "/data/" + path.path(), action);
        JsonNode metadata = reply.body().path("data").path("metadata");
        if (reply.status() == 404) {
            // nothing yet, or a deleted/destroyed current version (written by hand): no record, no promise
            return PendingSlot.empty(metadata.path("version").asLong(0));
        }
        VaultCalls.requireSuccess(action, reply.status());
        long version = metadata.path("version").asLong();
        JsonNode data = reply.body().path("data").path("data");
        if (!data.hasNonNull(PendingRecord.PASSWORD)) {
            return new PendingSlot(version, Optional.empty(),
                    data.path(PendingSlot.SECRET_VERSION_AT_LEAST).asLong(0));
        }
        return new PendingSlot(version, Optional.of(new PendingRecord(
                data.path(PendingRecord.ROTATION_ID).asText(""),
                data.path(PendingRecord.USERNAME).asText(""),
                SecretValue.of(data.path(PendingRecord.PASSWORD).asText()),
                data.path(PendingRecord.BASE_VERSION).asLong(0),
                data.path(PendingRecord.HOLDER).asText(""),
                instant(data.path(PendingRecord.LEASE_UNTIL).asText("")),
                version)), 0);
    }

    /**
     * Writes {@code record} over version {@code cas} of the pending path (0: the path has none yet).
     *
     * @return the record at its new version, or empty when someone wrote the path since {@code cas} was read
     */
    public Optional<PendingRecord> write(SecretPath secret, PendingRecord record, long cas) {
        return write(secret, record.data(), cas, "writing the pending record of " + secret).stream().boxed()
                .findFirst().map(record::atVersion);
    }

    /**
     * Replaces version {@code cas} (a record) by a tombstone promising that the secret is at version
     * {@code secretVersionAtLeast} or later.
     *
     * @return false when someone wrote the path since {@code cas} was read (the record is no longer the one read)
     */
    public boolean tombstone(SecretPath secret, long cas, String doneRotationId, long secretVersionAtLeast) {
        return write(secret, Map.of(PendingSlot.DONE_ROTATION_ID, doneRotationId,
                        PendingSlot.SECRET_VERSION_AT_LEAST, Long.toString(secretVersionAtLeast)), cas,
                "removing the pending record of " + secret).isPresent();
    }

    private OptionalLong write(SecretPath secret, Map<String, String> data, long cas, String action) {
        SecretPath path = secret.pending();
        ObjectNode body = VaultHttp.object();
        ObjectNode values = body.putObject("data");
        data.forEach(values::put);
        body.putObject("options").put("cas", cas);
        VaultHttp.Reply reply = vault.post(path.mount() + "/data/" + path.path(), body, action);
        if (reply.isCheckAndSetMismatch()) {
            return OptionalLong.empty();
        }
        VaultCalls.requireSuccess(action, reply.status());
        return OptionalLong.of(reply.body().path("data").path("version").asLong());
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // unreadable: a lease that ran out long ago
        }
    }
}
