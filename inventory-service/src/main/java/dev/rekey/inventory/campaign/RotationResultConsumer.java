package dev.rekey.inventory.campaign;

import dev.rekey.events.EventJson;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.messaging.RetryPolicy;
import dev.rekey.messaging.TransactionalConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.List;

/**
 * Consumes the worker's results ({@code rekey.secret-rotated}, {@code rekey.rotation-failed}) through the services'
 * one consumer idiom, {@link TransactionalConsumer}: a record is acknowledged only after its transaction committed, so
 * its offset never runs ahead of the database; a malformed record is dead-lettered at once; a database that is away
 * is waited for; any other failure is retried a few times before the record is dead-lettered; consumption goes on.
 */
@ApplicationScoped
public class RotationResultConsumer {

    /** Incoming channel of {@code rekey.secret-rotated}. */
    public static final String SECRET_ROTATED = "secret-rotated";
    /** Incoming channel of {@code rekey.rotation-failed}. */
    public static final String ROTATION_FAILED = "rotation-failed";

    // 200 ms doubling to 3 s; five attempts for a failure that is not the database being away
    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(3), 5);

    private final RotationResults results;
    private final TransactionalConsumer consumer = new TransactionalConsumer("rotation results", RETRY);

    RotationResultConsumer(RotationResults results) {
        this.results = results;
    }

    /** A poll of {@code secret-rotated} (a mass rotation's bulk) in one transaction; see {@link RotationResults}. */
    @Incoming(SECRET_ROTATED)
    public Uni<Void> onSecretRotated(Message<List<String>> batch) {
        return consumer.consumeBatch(batch, record -> new RotationResults.Received<>(CloudEventIds.of(record),
                EventJson.decode((String) record.getPayload(), SecretRotated.class)), results::rotated);
    }

    @Incoming(ROTATION_FAILED)
    public Uni<Void> onRotationFailed(Message<String> record) {
        return consumer.consume(record, () -> results.failed(CloudEventIds.of(record),
                EventJson.decode(record.getPayload(), RotationFailed.class)));
    }
}
