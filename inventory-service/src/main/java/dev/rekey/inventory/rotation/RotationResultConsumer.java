package dev.rekey.inventory.rotation;

import dev.rekey.events.EventJson;
import dev.rekey.events.MalformedEventException;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Consumes the worker's results ({@code rekey.secret-rotated}, {@code rekey.rotation-failed}). A record is
 * acknowledged only after its transaction committed, so its offset never runs ahead of the database. A malformed
 * record is dead-lettered with the reason at once; a database failure is retried a few times before the record
 * is dead-lettered, and consumption goes on either way.
 */
@ApplicationScoped
public class RotationResultConsumer {

    /** Incoming channel of {@code rekey.secret-rotated}. */
    public static final String SECRET_ROTATED = "secret-rotated";
    /** Incoming channel of {@code rekey.rotation-failed}. */
    public static final String ROTATION_FAILED = "rotation-failed";

    private static final Logger LOG = Logger.getLogger(RotationResultConsumer.class);
    private static final int RETRIES = 4;

    private final RotationResults results;

    RotationResultConsumer(RotationResults results) {
        this.results = results;
    }

    @Incoming(SECRET_ROTATED)
    public Uni<Void> onSecretRotated(Message<String> record) {
        return handle(record, () -> results.rotated(CloudEventIds.of(record),
                EventJson.decode(record.getPayload(), SecretRotated.class)));
    }

    @Incoming(ROTATION_FAILED)
    public Uni<Void> onRotationFailed(Message<String> record) {
        return handle(record, () -> results.failed(CloudEventIds.of(record),
                EventJson.decode(record.getPayload(), RotationFailed.class)));
    }

    private Uni<Void> handle(Message<String> record, Supplier<Uni<Void>> apply) {
        Context context = Vertx.currentContext();
        Uni<Void> attempt = Uni.createFrom().<Void>deferred(apply::get);
        if (context != null) {
            // a retry resubscribes from a timer thread; Hibernate Reactive must stay on the record's context
            attempt = attempt.runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return attempt
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .invoke(failure -> LOG.warnf("applying a rotation result failed, retrying: %s", failure.toString()))
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(3)).atMost(RETRIES)
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record.ack())
                        : Uni.createFrom().completionStage(record.nack(failure)));
    }
}
