package dev.rekey.inventory.support;

import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;

import java.time.Instant;
import java.util.UUID;

/** Sends result events as the rotation worker would, answering a {@link RotationDue}. */
public final class WorkerEvents {

    private WorkerEvents() {
    }

    /** Reports {@code due} rotated to {@code version}; returns the CloudEvents id used. */
    public static String rotated(RotationDue due, long version) {
        String id = UUID.randomUUID().toString();
        rotated(due, version, id);
        return id;
    }

    /** Reports {@code due} rotated to {@code version} under the given CloudEvents id. */
    public static void rotated(RotationDue due, long version, String cloudEventId) {
        KafkaRecords.sendAll(java.util.List.of(rotatedRecord(due, version, cloudEventId)));
    }

    /** The record that reports {@code due} rotated to {@code version}. */
    public static org.apache.kafka.clients.producer.ProducerRecord<String, String> rotatedRecord(
            RotationDue due, long version, String cloudEventId) {
        SecretRotated event = new SecretRotated(due.rotationId(), due.credentialId(), due.credential().vaultMount(),
                due.credential().vaultPath(), version, version - 1, due.credential().username(), due.cause(), due.owner(), Instant.now(), 42);
        return KafkaRecords.cloudEvent(Topics.SECRET_ROTATED, due.credentialId(), EventTypes.SECRET_ROTATED,
                cloudEventId, EventJson.encode(event));
    }

    /** A rotation outside any breach (e.g. manual) of {@code credentialId}, to {@code version}. */
    public static void rotatedManually(String credentialId, long version) {
        SecretRotated event = new SecretRotated(UUID.randomUUID(), credentialId, "secret", "apps/x", version,
                version - 1, null, Cause.manual(), new OwnerRef("o", "o@example.com"), Instant.now(), 42);
        KafkaRecords.sendCloudEvent(Topics.SECRET_ROTATED, credentialId, EventTypes.SECRET_ROTATED,
                UUID.randomUUID().toString(), EventJson.encode(event));
    }

    /** Reports that an attempt of {@code due} failed; {@code last} means the worker gave up. */
    public static void failed(RotationDue due, int attempts, boolean last) {
        failed(due, attempts, last, "login with the new value was refused");
    }

    /**
     * Reports that an attempt of {@code due} failed for {@code reason}; {@code last} means the worker gave up.
     * Returns the CloudEvents id used.
     */
    public static String failed(RotationDue due, int attempts, boolean last, String reason) {
        RotationFailed event = new RotationFailed(due.rotationId(), due.credentialId(), "test",
                reason, attempts, last,
                dev.rekey.events.OldCredential.VALID, due.cause(), due.owner(), Instant.now());
        String id = UUID.randomUUID().toString();
        KafkaRecords.sendCloudEvent(Topics.ROTATION_FAILED, due.credentialId(), EventTypes.ROTATION_FAILED, id,
                EventJson.encode(event));
        return id;
    }
}
