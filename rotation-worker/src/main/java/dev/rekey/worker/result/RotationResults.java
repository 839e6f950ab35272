package dev.rekey.worker.result;

import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.worker.rotation.RotationOutcome;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;

/**
 * Emits a rotation's outcome as {@code secret-rotated} or {@code rotation-failed}: CloudEvents in binary mode, keyed
 * and subject by credential id, with a deterministic id ({@code <rotationId>:rotated}, {@code <rotationId>:failed})
 * so that a re-emit after a redelivery is recognisable as the same event. Returns once the broker has acknowledged
 * the record, so that the request is acknowledged only after its result is durable.
 */
@ApplicationScoped
public class RotationResults {

    /** Outgoing channel names (application.properties maps them to topics). */
    public static final String ROTATED_CHANNEL = "secret-rotated";
    public static final String FAILED_CHANNEL = "rotation-failed";

    @Inject
    @Channel(ROTATED_CHANNEL)
    MutinyEmitter<String> rotated;

    @Inject
    @Channel(FAILED_CHANNEL)
    MutinyEmitter<String> failed;

    @Inject
    RotationMetrics metrics;

    public void publish(RotationDue due, RotationOutcome outcome, boolean urgent) {
        if (outcome instanceof Rotated done) {
            SecretRotated event = new SecretRotated(due.rotationId(), due.credentialId(),
                    due.credential().vaultMount(), due.credential().vaultPath(), done.version(),
                    done.previousVersion(), due.credential().username(), due.cause(), due.owner(), Instant.now(), done.durationMs());
            send(rotated, due, ":rotated", EventTypes.SECRET_ROTATED, EventJson.encode(event));
        } else if (outcome instanceof Failed failure) {
            RotationFailed event = new RotationFailed(due.rotationId(), due.credentialId(), failure.step(),
                    failure.reason(), failure.attempts(), true,
                    failure.oldCredentialValid() ? OldCredential.VALID : OldCredential.INVALID, due.cause(),
                    due.owner(), Instant.now());
            send(failed, due, ":failed", EventTypes.ROTATION_FAILED, EventJson.encode(event));
        }
        metrics.record(outcome, urgent);
    }

    private static void send(MutinyEmitter<String> emitter, RotationDue due, String idSuffix, String type,
                             String json) {
        Message<String> message = Message.of(json)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(due.rotationId() + idSuffix)
                        .withType(type)
                        .withSubject(due.credentialId())
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(due.credentialId()).build());
        emitter.sendMessageAndAwait(message);
    }
}
