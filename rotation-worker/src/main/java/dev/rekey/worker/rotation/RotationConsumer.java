package dev.rekey.worker.rotation;

import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.result.RotationResults;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes rotation requests from the urgent and the scheduled topic. Each topic has its own worker pool, so that a
 * backlog of scheduled rotations never holds a thread an urgent one needs; records are processed concurrently
 * (unordered) and committed with the throttled strategy. A record is acknowledged only after its result event is
 * acknowledged by the broker; a malformed record is nacked and lands in the topic's dead-letter queue.
 */
@ApplicationScoped
public class RotationConsumer {

    /** Incoming channel names (application.properties maps them to topics). */
    public static final String URGENT_CHANNEL = "rotation-due-urgent";
    public static final String SCHEDULED_CHANNEL = "rotation-due";

    @Inject
    RotationProtocol protocol;

    @Inject
    RotationResults results;

    @Incoming(URGENT_CHANNEL)
    @Blocking(value = "rotations-urgent", ordered = false)
    public void urgent(String payload) {
        handle(payload, true);
    }

    @Incoming(SCHEDULED_CHANNEL)
    @Blocking(value = "rotations-scheduled", ordered = false)
    public void scheduled(String payload) {
        handle(payload, false);
    }

    private void handle(String payload, boolean urgent) {
        // MalformedEventException propagates: nack, dead-letter queue with its reason (which never quotes the payload)
        RotationDue due = EventJson.decode(payload, RotationDue.class);
        RotationOutcome outcome = protocol.rotate(due, urgent);
        log(due, outcome);
        results.publish(due, outcome, urgent);
    }

    private static void log(RotationDue due, RotationOutcome outcome) {
        if (outcome instanceof RotationOutcome.Failed f) {
            Log.warnf("rotation %s of credential %s failed at %s after %d attempt(s): %s (old value valid: %s)",
                    due.rotationId(), due.credentialId(), f.step(), f.attempts(), f.reason(), f.oldCredentialValid());
        } else if (outcome instanceof RotationOutcome.Rotated r && r.replayed()) {
            Log.infof("rotation %s of credential %s was already committed as version %d: re-emitting",
                    due.rotationId(), due.credentialId(), r.version());
        } else if (outcome instanceof RotationOutcome.Rotated r) {
            Log.infof("rotated credential %s (rotation %s): version %d -> %d in %d ms",
                    due.credentialId(), due.rotationId(), r.previousVersion(), r.version(), r.durationMs());
        }
    }
}
