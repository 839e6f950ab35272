package dev.rekey.messaging;

import dev.rekey.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a rekey service applies Kafka records to its database. The caller gives the transaction (it must be
 * one transaction and safe to repeat: an idempotent effect); this class owns everything around it:
 *
 * <ul>
 *   <li><b>acknowledgement after the commit</b>: a record is acked only once its transaction committed, so the
 *       committed offset never runs ahead of the database;</li>
 *   <li><b>retry</b> by {@link FailureKind}: a malformed record is never retried; a database that is away is retried
 *       without bound with capped exponential backoff (dead-lettering would lose a good record; the partition waits
 *       instead); any other failure is retried {@link RetryPolicy#attempts()} times;</li>
 *   <li><b>dead-lettering</b> of what cannot be applied, to {@code <the record's topic>.dlq}
 *       ({@link Topics#deadLetter}), with a {@link DeadLetterReason} that never quotes the payload, and a log line;
 *       consumption goes on;</li>
 *   <li><b>the Vert.x context</b>: every attempt runs on the record's context, also the retries that a timer
 *       resubscribes (Hibernate Reactive and the reactive SQL clients must stay on it).</li>
 * </ul>
 *
 * <p>Channels using it declare {@code failure-strategy=dead-letter-queue} and take a {@code Message} (manual
 * acknowledgement). A batch channel ({@code batch=true}) uses {@link #consumeBatch}: one transaction for the whole
 * batch; if that fails for good, one transaction per record, so only the records that fail alone are dead-lettered.
 */
public final class TransactionalConsumer {

    private static final Logger LOG = Logger.getLogger(TransactionalConsumer.class);

    private final String name;
    private final RetryPolicy retry;

    /** @param name what the consumer does, for log lines (e.g. {@code "rotation results"}) */
    public TransactionalConsumer(String name, RetryPolicy retry) {
        this.name = Objects.requireNonNull(name, "name");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** Applies one record: {@code transaction} decodes it and applies it; acked after the commit, else dead-lettered. */
    public Uni<Void> consume(Message<?> record, Supplier<Uni<Void>> transaction) {
        Executor onContext = onCurrentContext();
        return withRetries(transaction, onContext)
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record::ack)
                        : deadLetter(record, failure))
                .emitOn(onContext);
    }

    /**
     * Applies a batch: each record is decoded with {@code decode} (a {@link dev.rekey.events.MalformedEventException}
     * dead-letters that record alone), the rest are applied by one {@code transaction}, and the batch is acked after
     * its commit.
     */
    public <E> Uni<Void> consumeBatch(Message<?> batch, Function<Message<?>, E> decode,
                                      Function<List<E>, Uni<Void>> transaction) {
        Executor onContext = onCurrentContext();
        List<Message<?>> records = recordsOf(batch);
        List<Message<?>> decodedRecords = new ArrayList<>();
        List<E> events = new ArrayList<>();
        Uni<Void> deadLettered = Uni.createFrom().voidItem();
        for (Message<?> record : records) {
            try {
                E event = decode.apply(record);
                decodedRecords.add(record);
                events.add(event);
            } catch (RuntimeException e) {
                deadLettered = deadLettered.chain(() -> deadLetter(record, e));
            }
        }
        Uni<Void> applied = events.isEmpty() ? Uni.createFrom().voidItem()
                : withRetries(() -> transaction.apply(events), onContext)
                .onFailure().recoverWithUni(failure -> events.size() == 1
                        ? deadLetter(decodedRecords.get(0), failure)
                        : oneByOne(decodedRecords, events, transaction, onContext, failure));
        return deadLettered.chain(() -> applied)
                .chain(() -> Uni.createFrom().completionStage(batch::ack))
                .emitOn(onContext);
    }

    private <E> Uni<Void> oneByOne(List<Message<?>> records, List<E> events, Function<List<E>, Uni<Void>> transaction,
                                   Executor onContext, Throwable batchFailure) {
        LOG.warnf("%s: a batch of %d records failed for good (%s); applying them one by one", name, records.size(),
                DeadLetterReason.of(batchFailure, FailureKind.of(batchFailure), retry.attempts()).getMessage());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < records.size(); i++) {
            Message<?> record = records.get(i);
            List<E> one = List.of(events.get(i));
            chain = chain.chain(() -> withRetries(() -> transaction.apply(one), onContext)
                    .onFailure().recoverWithUni(failure -> deadLetter(record, failure)));
        }
        return chain;
    }

    private Uni<Void> withRetries(Supplier<Uni<Void>> transaction, Executor onContext) {
        return attempt(transaction, onContext, 1, 0);
    }

    private Uni<Void> attempt(Supplier<Uni<Void>> transaction, Executor onContext, int attempt, int otherFailures) {
        return Uni.createFrom().<Void>deferred(transaction::get).runSubscriptionOn(onContext)
                .onFailure().recoverWithUni(failure -> {
                    FailureKind kind = FailureKind.of(failure);
                    int others = kind == FailureKind.OTHER ? otherFailures + 1 : otherFailures;
                    if (kind == FailureKind.MALFORMED || others >= retry.attempts()) {
                        return Uni.createFrom().failure(new GaveUp(failure, kind, attempt));
                    }
                    var wait = retry.backoffAfter(attempt);
                    LOG.warnf("%s: attempt %d failed (%s: %s), retrying in %s", name, attempt, kind,
                            failure.getClass().getName(), wait);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                            .chain(() -> attempt(transaction, onContext, attempt + 1, others));
                });
    }

    private Uni<Void> deadLetter(Message<?> record, Throwable failure) {
        Throwable cause = failure instanceof GaveUp gaveUp ? gaveUp.getCause() : failure;
        FailureKind kind = failure instanceof GaveUp gaveUp ? gaveUp.kind : FailureKind.of(failure);
        int attempts = failure instanceof GaveUp gaveUp ? gaveUp.attempts : 1;
        DeadLetterReason reason = DeadLetterReason.of(cause, kind, attempts);
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class);
        if (kafka.isEmpty()) {
            LOG.errorf("%s: dead-lettering a record: %s", name, reason.getMessage());
            return Uni.createFrom().completionStage(() -> record.nack(reason));
        }
        String topic = kafka.get().getTopic();
        String deadLetterTopic = Topics.deadLetter(topic);
        LOG.errorf("%s: dead-lettering %s-%d offset %d to %s: %s", name, topic, kafka.get().getPartition(),
                kafka.get().getOffset(), deadLetterTopic, reason.getMessage());
        // the topic in the nack metadata overrides the channel's dead-letter-queue.topic: a channel may read
        // several topics, and each record's dead letter goes beside its own topic
        Metadata target = Metadata.of(OutgoingKafkaRecordMetadata.builder().withTopic(deadLetterTopic).build());
        return Uni.createFrom().completionStage(() -> record.nack(reason, target));
    }

    private static List<Message<?>> recordsOf(Message<?> batch) {
        @SuppressWarnings("unchecked")
        var metadata = (java.util.Optional<IncomingKafkaRecordBatchMetadata<?, ?>>) (java.util.Optional<?>)
                batch.getMetadata(IncomingKafkaRecordBatchMetadata.class);
        return metadata.<List<Message<?>>>map(IncomingKafkaRecordBatchMetadata::getBatchedMessages)
                .orElse(List.of(batch));
    }

    private static Executor onCurrentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** The last failure of a record, with what was decided about it. */
    private static final class GaveUp extends RuntimeException {

        private final FailureKind kind;
        private final int attempts;

        GaveUp(Throwable cause, FailureKind kind, int attempts) {
            super(cause.getMessage(), cause, false, false);
            this.kind = kind;
            this.attempts = attempts;
        }
    }
}
