package dev.rekey.notifier.owner;

import dev.rekey.messaging.TransactionalConsumer;
import dev.rekey.notifier.campaign.ConsumerConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;

/**
 * Keeps the notifier's copy of {@code rekey.owners} in step: batches of records, each batch in one transaction,
 * applied in topic order (the topic is keyed by owner id, so one owner's records share a partition). Upserts and
 * deletes are idempotent, so a redelivered batch changes nothing. A new consumer group starts at the oldest record.
 */
@ApplicationScoped
public class OwnerChangesConsumer {

    /** Incoming channel of {@code rekey.owners}. */
    public static final String CHANNEL = "owners";

    private final OwnerDirectory directory;
    private final Pool pool;
    private final TransactionalConsumer consumer;

    OwnerChangesConsumer(OwnerDirectory directory, Pool pool, ConsumerConfig config) {
        this.directory = directory;
        this.pool = pool;
        this.consumer = new TransactionalConsumer("owner changes", config.retryPolicy());
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<List<String>> batch) {
        return consumer.consumeBatch(batch, OwnerChangesConsumer::decode, changes -> pool.withTransaction(db ->
                Multi.createFrom().iterable(changes).onItem().transformToUniAndConcatenate(c -> directory.apply(db, c))
                        .collect().last()).replaceWithVoid());
    }

    private static OwnerChange decode(Message<?> record) {
        String key = record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> (String) m.getKey()).orElse(null);
        return OwnerChange.of(key, (String) record.getPayload());
    }
}
