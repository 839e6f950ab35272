package dev.rekey.client;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Publishes {@code secret-rotated} records to the devstack broker the way the rotation worker does. */
final class TestEvents implements AutoCloseable {

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));

    static SecretRotated rotated(WatchedCredential w, long version, String activeUsername) {
        return new SecretRotated(UUID.randomUUID(), w.credentialId(), w.vaultMount(), w.vaultPath(), version,
                version - 1, activeUsername, Cause.manual(), new OwnerRef("team-test", "team-test@example.com"),
                Instant.now(), 12);
    }

    void publish(SecretRotated event) {
        send(event.credentialId(), EventTypes.SECRET_ROTATED, EventJson.encode(event));
    }

    void send(String key, String type, String payload) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECRET_ROTATED, key, payload);
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_source", bytes(EventTypes.SOURCE_WORKER))
                .add("ce_type", bytes(type))
                .add("ce_subject", bytes(key))
                .add("content-type", bytes(EventTypes.DATA_CONTENT_TYPE));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + Topics.SECRET_ROTATED, e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
