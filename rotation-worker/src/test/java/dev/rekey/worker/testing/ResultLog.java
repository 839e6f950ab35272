package dev.rekey.worker.testing;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Reads the worker's results in the background (from the beginning, a fresh group) for a set of credentials: the
 * first secret-rotated and the final rotation-failed of each rotation, and when each arrived here.
 */
public final class ResultLog implements AutoCloseable {

    public final Map<UUID, SecretRotated> rotated = new ConcurrentHashMap<>();
    public final Map<UUID, Instant> rotatedSeenAt = new ConcurrentHashMap<>();
    public final Map<UUID, RotationFailed> failed = new ConcurrentHashMap<>();
    public final AtomicInteger rotatedEvents = new AtomicInteger();
    private final Set<String> credentialIds;
    private final Thread reader;
    private volatile boolean open = true;

    public ResultLog(Set<String> credentialIds) {
        this.credentialIds = Set.copyOf(credentialIds);
        reader = new Thread(this::read, "result-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "result-log-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.SECRET_ROTATED, Topics.ROTATION_FAILED));
            while (open) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (!credentialIds.contains(record.key())) {
                        continue;
                    }
                    if (record.topic().equals(Topics.SECRET_ROTATED)) {
                        SecretRotated event = EventJson.decode(record.value(), SecretRotated.class);
                        rotatedEvents.incrementAndGet();
                        if (rotated.putIfAbsent(event.rotationId(), event) == null) {
                            rotatedSeenAt.put(event.rotationId(), Instant.now());
                        }
                    } else {
                        RotationFailed event = EventJson.decode(record.value(), RotationFailed.class);
                        if (event.finalAttempt()) {
                            failed.put(event.rotationId(), event);
                        }
                    }
                }
            }
        }
    }

    /** Rotations with a final result (rotated or failed for good). */
    public int done() {
        Set<UUID> ids = new HashSet<>(rotated.keySet());
        ids.addAll(failed.keySet());
        return ids.size();
    }

    public static void awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join(5_000);
    }
}
