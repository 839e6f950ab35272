package dev.rekey.worker.config;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The worker's Kafka clients, built from the {@code kafka.*} configuration (Quarkus's {@code default-kafka-broker}:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, and {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*} ... for a secured
 * cluster) plus what the protocol needs and is not left to configuration.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> base;
    private final WorkerConfig.Intake intake;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> base, WorkerConfig config) {
        this.base = Map.copyOf(base);
        this.intake = config.intake();
    }

    /**
     * The consumer of the three rotation-due topics. The range assignor gives one member the same partition number of
     * every topic (equal partition counts), so all of a system's rotations are on one worker; a short session timeout
     * hands a dead worker's partitions on within seconds; offsets are committed by the worker, after results.
     */
    public KafkaConsumer<String, String> consumer() {
        Map<String, Object> props = only(ConsumerConfig.configNames());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, intake.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "rotation-worker-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) intake.sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) intake.heartbeatInterval().toMillis());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, intake.maxPollRecords());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** Results, retries and dead letters: acknowledged by every in-sync replica, without duplicates. */
    public KafkaProducer<String, String> producer() {
        Map<String, Object> props = only(ProducerConfig.configNames());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "rotation-worker-results-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** For the topic check at start. */
    public Admin admin() {
        Map<String, Object> props = only(AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "rotation-worker-admin-" + UUID.randomUUID().toString().substring(0, 8));
        return Admin.create(props);
    }

    private Map<String, Object> only(Set<String> known) {
        Map<String, Object> props = new HashMap<>();
        base.forEach((key, value) -> {
            if (known.contains(key)) {
                props.put(key, value);
            }
        });
        return props;
    }
}
