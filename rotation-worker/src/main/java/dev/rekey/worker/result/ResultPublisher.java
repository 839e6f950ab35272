package dev.rekey.worker.result;

import dev.rekey.messaging.Traceparent;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.config.KafkaClients;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Emits what the worker produces: {@code secret-rotated}, {@code rotation-failed}, delayed retries on
 * {@code rekey.rotation-due.retry} and dead letters. CloudEvents in binary mode ({@code ce_*} headers), the W3C
 * {@code traceparent} of the request carried on. Each future completes when the broker has acknowledged the
 * record, so that a request's offset is committed only after its result is durable. Event ids are deterministic,
 * so that a re-emit after a redelivery is recognisable as the same event: {@code <rotationId>:rotated},
 * {@code <rotationId>:failed} (the final one), {@code <rotationId>:failed:<attempts>} and
 * {@code <rotationId>:retry:<attempts>} (one per attempt).
 */
@ApplicationScoped
public class ResultPublisher {

    /** Headers of a retry record (AsyncAPI document, message RotationDueRetry). */
    public static final String RETRY_AT = "rekey-retry-at";
    public static final String ATTEMPTS = "rekey-attempts";
    public static final String FIRST_FAILURE_AT = "rekey-first-failure-at";

    private final KafkaProducer<String, String> producer;

    public ResultPublisher(KafkaClients clients) {
        this.producer = clients.producer();
    }

    public CompletableFuture<Void> rotated(RotationDue due, Rotated outcome, String traceparent) {
        SecretRotated event = new SecretRotated(due.rotationId(), due.credentialId(), due.credential().vaultMount(),
                due.credential().vaultPath(), outcome.version(), outcome.previousVersion(), outcome.activeUsername(),
                due.cause(), due.owner(), Instant.now(), outcome.durationMs());
        return send(Topics.SECRET_ROTATED, due.credentialId(), EventJson.encode(event),
                cloudEvent(due.rotationId() + ":rotated", EventTypes.SECRET_ROTATED, due.credentialId(), traceparent));
    }

    /** @param last no further attempt will be made ({@code final}) */
    public CompletableFuture<Void> failed(RotationDue due, Failed outcome, int attempts, boolean last,
                                          String traceparent) {
        RotationFailed event = new RotationFailed(due.rotationId(), due.credentialId(), outcome.step().eventName(),
                outcome.reason(), attempts, last, outcome.oldCredential(), due.cause(), due.owner(), Instant.now());
        String id = due.rotationId() + ":failed" + (last ? "" : ":" + attempts);
        return send(Topics.ROTATION_FAILED, due.credentialId(), EventJson.encode(event),
                cloudEvent(id, EventTypes.ROTATION_FAILED, due.credentialId(), traceparent));
    }

    /** The request again, unchanged ({@code payload}), due at {@code retryAt}: keyed by system id like the others. */
    public CompletableFuture<Void> retry(RotationDue due, String payload, int attempts, Instant firstFailure,
                                         Instant retryAt, String traceparent) {
        Headers headers = cloudEvent(due.rotationId() + ":retry:" + attempts, EventTypes.ROTATION_DUE,
                due.credentialId(), traceparent);
        headers.add(RETRY_AT, bytes(Long.toString(retryAt.toEpochMilli())));
        headers.add(ATTEMPTS, bytes(Integer.toString(attempts)));
        headers.add(FIRST_FAILURE_AT, bytes(Long.toString(firstFailure.toEpochMilli())));
        return send(Topics.ROTATION_DUE_RETRY, due.recordKey(), payload, headers);
    }

    /** The record unchanged on {@code <topic>.dlq}, with SmallRye's dead-letter headers. */
    public CompletableFuture<Void> deadLetter(ConsumerRecord<String, String> record, String reason) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add("dead-letter-reason", bytes(reason));
        headers.add("dead-letter-topic", bytes(record.topic()));
        headers.add("dead-letter-partition", bytes(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", bytes(Long.toString(record.offset())));
        return send(Topics.deadLetter(record.topic()), record.key(), record.value(), headers);
    }

    /** Fetches the output topics' metadata now rather than with the first result; failures are left for later. */
    public void warmUp() {
        for (String topic : java.util.List.of(Topics.SECRET_ROTATED, Topics.ROTATION_FAILED, Topics.ROTATION_DUE_RETRY)) {
            try {
                producer.partitionsFor(topic);
            } catch (RuntimeException e) {
                return; // the broker is away: the first send waits for it anyway
            }
        }
    }

    private CompletableFuture<Void> send(String topic, String key, String value, Headers headers) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    private static Headers cloudEvent(String id, String type, String subject, String traceparent) {
        Headers headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_source", bytes(EventTypes.SOURCE_WORKER));
        headers.add("ce_type", bytes(type));
        headers.add("ce_subject", bytes(subject));
        headers.add("ce_time", bytes(Instant.now().toString()));
        headers.add("content-type", bytes(EventTypes.DATA_CONTENT_TYPE));
        if (traceparent != null) {
            headers.add(Traceparent.HEADER, bytes(traceparent));
        }
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
