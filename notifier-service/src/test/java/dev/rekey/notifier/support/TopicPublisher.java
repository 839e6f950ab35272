package dev.rekey.notifier.support;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.BreachReported;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerChanged;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Publishes events to the shared broker the way the other services do: JSON values, binary-mode CloudEvents. */
public final class TopicPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
            new StringSerializer(), new StringSerializer());
    private boolean burst;
    private String traceparent;

    /** Publishes what {@code publishing} sends with this W3C traceparent header, as a traced producer would. */
    public void traced(String traceparent, Runnable publishing) {
        this.traceparent = traceparent;
        try {
            publishing.run();
        } finally {
            this.traceparent = null;
        }
    }

    /** Publishes what {@code publishing} sends without waiting for each record, so that they arrive together. */
    public void burst(Runnable publishing) {
        burst = true;
        try {
            publishing.run();
            producer.flush();
        } finally {
            burst = false;
        }
    }

    public void ownerChanged(OwnerChanged owner) {
        send(Topics.OWNERS, owner.ownerId(), EventJson.encode(owner), EventTypes.OWNER_CHANGED,
                EventTypes.SOURCE_INVENTORY, owner.ownerId());
    }

    /** The record a deleted owner leaves on the compacted topic: its key and a null value. */
    public void ownerDeleted(String ownerId) {
        raw(Topics.OWNERS, ownerId, null);
    }

    public void breachReported(BreachReported event) {
        String id = event.breachId().toString();
        send(Topics.BREACH_REPORTED, id, EventJson.encode(event), EventTypes.BREACH_REPORTED,
                EventTypes.SOURCE_INVENTORY, id);
    }

    public void secretRotated(SecretRotated event) {
        send(Topics.SECRET_ROTATED, event.credentialId(), EventJson.encode(event), EventTypes.SECRET_ROTATED,
                EventTypes.SOURCE_WORKER, event.credentialId());
    }

    public void rotationFailed(RotationFailed event) {
        send(Topics.ROTATION_FAILED, event.credentialId(), EventJson.encode(event), EventTypes.ROTATION_FAILED,
                EventTypes.SOURCE_WORKER, event.credentialId());
    }

    /** A record as it is, without CloudEvents headers: what a broken producer would write. */
    public void raw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private void send(String topic, String key, String value, String type, String source, String subject) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_type", type);
        header(record, "ce_source", source);
        header(record, "ce_subject", subject);
        header(record, "content-type", EventTypes.DATA_CONTENT_TYPE);
        if (traceparent != null) {
            header(record, "traceparent", traceparent);
        }
        if (burst) {
            producer.send(record);
            return;
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
