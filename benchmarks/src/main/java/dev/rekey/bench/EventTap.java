package dev.rekey.bench;

import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads, from the moment it starts, the rotation-due (urgent and scheduled), secret-rotated and rotation-failed
 * topics as any subscriber would, without a consumer group: when each breach's last rotation-due reached the broker,
 * and each rotation's result with the worker's {@code durationMs}. Records carry no secret; nothing is kept but ids
 * and times.
 */
final class EventTap implements AutoCloseable {

    /** A {@code secret-rotated}: its event and when the broker got it (record timestamp, epoch ms). */
    record Rotated(SecretRotated event, long brokerMillis) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;
    private volatile boolean running = true;
    private final Map<UUID, List<Long>> dueByBreach = new ConcurrentHashMap<>();
    private final AtomicInteger scheduledDue = new AtomicInteger();
    private final List<Rotated> rotated = new CopyOnWriteArrayList<>();
    private final Map<UUID, AtomicInteger> failedByBreach = new ConcurrentHashMap<>();
    private final AtomicInteger failedScheduled = new AtomicInteger();
    private final AtomicInteger unreadable = new AtomicInteger();

    private EventTap(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
        this.poller = new Thread(this::poll, "bench-event-tap");
        this.poller.setDaemon(true);
    }

    /** Starts at the end of every partition: it sees what is written after this returns. */
    static EventTap start(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.ROTATION_DUE_URGENT, Topics.ROTATION_DUE, Topics.SECRET_ROTATED,
                Topics.ROTATION_FAILED)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        EventTap tap = new EventTap(consumer);
        tap.poller.start();
        return tap;
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    try {
                        take(record);
                    } catch (RuntimeException e) {
                        unreadable.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void take(ConsumerRecord<String, String> record) {
        switch (record.topic()) {
            case Topics.ROTATION_DUE_URGENT, Topics.ROTATION_DUE -> {
                RotationDue due = EventJson.decode(record.value(), RotationDue.class);
                if (due.cause().breachId() != null) {
                    dueByBreach.computeIfAbsent(due.cause().breachId(), b -> new CopyOnWriteArrayList<>())
                            .add(record.timestamp());
                } else if (due.cause().type() == CauseType.SCHEDULED) {
                    scheduledDue.incrementAndGet();
                }
            }
            case Topics.SECRET_ROTATED -> rotated.add(new Rotated(EventJson.decode(record.value(),
                    SecretRotated.class), record.timestamp()));
            case Topics.ROTATION_FAILED -> {
                RotationFailed failed = EventJson.decode(record.value(), RotationFailed.class);
                if (failed.cause().breachId() != null) {
                    failedByBreach.computeIfAbsent(failed.cause().breachId(), b -> new AtomicInteger()).incrementAndGet();
                } else {
                    failedScheduled.incrementAndGet();
                }
            }
            default -> { }
        }
    }

    /** Broker timestamps of the breach's rotation-due records seen so far. */
    List<Long> dueTimes(UUID breachId) {
        return List.copyOf(dueByBreach.getOrDefault(breachId, List.of()));
    }

    /** The breach's secret-rotated events seen so far. */
    List<Rotated> rotated(UUID breachId) {
        return rotated.stream().filter(r -> breachId.equals(r.event().cause().breachId())).toList();
    }

    /** Scheduled rotations that completed. */
    long rotatedScheduled() {
        return rotated.stream().filter(r -> r.event().cause().type() == CauseType.SCHEDULED).count();
    }

    int failed(UUID breachId) {
        AtomicInteger n = failedByBreach.get(breachId);
        return n == null ? 0 : n.get();
    }

    int failedScheduled() {
        return failedScheduled.get();
    }

    int scheduledDue() {
        return scheduledDue.get();
    }

    int unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(5000);
    }
}
