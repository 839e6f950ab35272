package dev.rekey.worker.intake;

import dev.rekey.events.EventJson;
import dev.rekey.events.MalformedEventException;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.worker.config.KafkaClients;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.result.ResultPublisher;
import dev.rekey.worker.result.RotationMetrics;
import dev.rekey.worker.vault.VaultLogin;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Takes rotation requests from Kafka: ONE consumer per worker process, subscribed to
 * {@code rekey.rotation-due.urgent}, {@code rekey.rotation-due} and {@code rekey.rotation-due.retry} with the range
 * assignor. The topics are keyed by system id and have the same number of partitions (checked at start: readiness
 * is DOWN until they do), so a member holds the same partition number of all three: all of a system's rotations
 * are on one worker, and the worker's per-system bound is the bound of the whole group.
 *
 * <p>A plain {@link KafkaConsumer} loop rather than SmallRye Reactive Messaging: the worker holds records for
 * minutes (waiting for a system's slot, a lease, a retry time), in its own priority order, pauses the scheduled
 * partitions while urgent work waits, and on a rebalance must finish the running rotations of revoked partitions
 * before it gives them up; SmallRye's per-message acknowledgement and its unprocessed-record health check are built
 * for the opposite. Offsets are committed here, in batches, up to the first record whose result the broker has not
 * yet acknowledged.
 */
@ApplicationScoped
public class RotationIntake {

    private final KafkaClients kafka;
    private final RotationScheduler scheduler;
    private final RotationHandler handler;
    private final ResultPublisher publisher;
    private final VaultLogin vaultLogin;
    private final RotationMetrics metrics;
    private final WorkerConfig.Intake config;
    private final WorkerConfig.Retry retry;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final IntakeState state = new IntakeState();
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread loop;

    RotationIntake(KafkaClients kafka, RotationScheduler scheduler, RotationHandler handler,
                   ResultPublisher publisher, RotationMetrics metrics, VaultLogin vaultLogin, WorkerConfig config) {
        this.kafka = kafka;
        this.scheduler = scheduler;
        this.handler = handler;
        this.publisher = publisher;
        this.vaultLogin = vaultLogin;
        this.metrics = metrics;
        this.config = config.intake();
        this.retry = config.retry();
    }

    void start(@Observes StartupEvent event) {
        scheduler.start(handler::handle);
        loop = new Thread(this::run, "rotation-intake");
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, String> running = consumer;
        if (running != null) {
            running.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(config.revokeTimeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What readiness reports. */
    public IntakeState state() {
        return state;
    }

    private void run() {
        warmUp();
        while (!stopping) {
            try {
                if (!topicsFit()) {
                    sleep(config.topicCheckInterval());
                    continue;
                }
                consume();
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                Log.errorf(e, "the rotation-due consumer failed; starting it again");
                state.down("consumer failed: " + e.getClass().getSimpleName());
                sleep(Duration.ofSeconds(2));
            }
        }
        state.down("stopped");
    }

    /**
     * Logs in to Vault and learns where the results go before the first request, so that the first rotation of a
     * campaign does not pay for them. Either may fail here (Vault or Kafka away): the first rotation tries again.
     */
    private void warmUp() {
        try {
            vaultLogin.token();
        } catch (RuntimeException e) {
            Log.warnf("Vault login at start: %s; the first rotation tries again", e.getMessage());
        }
        publisher.warmUp();
    }

    /** The three topics exist and have the same number of partitions; else readiness says what is wrong. */
    private boolean topicsFit() {
        try (Admin admin = kafka.admin()) {
            var problem = TopicLayout.problem(admin);
            problem.ifPresent(reason -> {
                Log.error(reason);
                state.down(reason);
            });
            return problem.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return false;
        }
    }

    private void consume() {
        try (KafkaConsumer<String, String> kafkaConsumer = kafka.consumer()) {
            consumer = kafkaConsumer;
            if (stopping) {
                return;
            }
            kafkaConsumer.subscribe(Topics.ROTATION_DUE_ALL, new Rebalance(kafkaConsumer));
            state.up();
            long nextCommit = 0;
            while (!stopping) {
                var records = kafkaConsumer.poll(config.pollTimeout());
                state.polled();
                for (ConsumerRecord<String, String> record : records) {
                    take(record);
                }
                pauseOrResume(kafkaConsumer);
                if (System.nanoTime() >= nextCommit) {
                    commit(kafkaConsumer, kafkaConsumer.assignment(), false);
                    nextCommit = System.nanoTime() + config.commitInterval().toNanos();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            finishAll();
            consumer = null;
        }
    }

    /** On the way out: the running rotations finish (bounded), their offsets are committed by the closing consumer. */
    private void finishAll() {
        KafkaConsumer<String, String> kafkaConsumer = consumer;
        Set<TopicPartition> partitions = new HashSet<>(progress.keySet());
        scheduler.withdraw(partitions);
        scheduler.awaitRunning(partitions, config.revokeTimeout());
        if (kafkaConsumer != null) {
            try {
                commit(kafkaConsumer, partitions, true);
            } catch (RuntimeException e) {
                Log.warnf("committing on the way out: %s", e.getClass().getSimpleName());
            }
        }
        progress.clear();
    }

    private void take(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress of = progress.computeIfAbsent(partition, PartitionProgress::new);
        of.took(record.offset());
        RotationDue due;
        try {
            if (record.value() == null) {
                throw new MalformedEventException("not a valid RotationDue: the record has no value", null);
            }
            due = EventJson.decode(record.value(), RotationDue.class);
        } catch (MalformedEventException e) {
            // its reason names the field, never the payload
            Log.warnf("%s@%d-%d is not a rotation request: %s; parked on %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage(), Topics.deadLetter(record.topic()));
            publisher.deadLetter(record, e.getMessage()).whenComplete((ok, error) -> {
                if (error == null) {
                    of.finished(record.offset());
                } else {
                    Log.errorf("%s@%d-%d could not be dead-lettered: %s", record.topic(), record.partition(),
                            record.offset(), error.getClass().getSimpleName());
                }
            });
            return;
        }
        RotationRequest request = RotationRequest.of(record, due, of, sequence.incrementAndGet());
        metrics.waitingOf(request.systemId(), scheduler::waiting);
        metrics.inFlightOf(due.target().type(), scheduler::running);
        if (request.retryAt() == null || !request.retryAt().isAfter(Instant.now())) {
            scheduler.submit(request.dueNow());
            return;
        }
        // a retry not due yet: held on the timer, at most max-hold, then run or sent on for another hop
        Instant hold = min(request.retryAt(), Instant.now().plus(retry.maxHold()));
        scheduler.at(request, hold, this::dueOrOnwards);
    }

    private void dueOrOnwards(RotationRequest request) {
        if (!request.retryAt().isAfter(Instant.now().plusMillis(100))) {
            scheduler.submit(request.dueNow());
            return;
        }
        publisher.retry(request.due(), request.rawValue(), request.attempts(),
                        request.firstFailure() != null ? request.firstFailure() : Instant.now(), request.retryAt(),
                        request.traceparent())
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        request.progress().finished(request.offset());
                    } else {
                        scheduler.at(request, Instant.now().plusSeconds(5), this::dueOrOnwards);
                    }
                });
    }

    /**
     * Partitions of which too many records are held are paused; so are the scheduled ones while urgent work waits,
     * so that a backlog of scheduled rotations never fills the worker ahead of a breach.
     */
    private void pauseOrResume(KafkaConsumer<String, String> kafkaConsumer) {
        boolean urgentWaiting = scheduler.urgentWaiting();
        Set<TopicPartition> paused = kafkaConsumer.paused();
        Set<TopicPartition> toPause = new HashSet<>();
        Set<TopicPartition> toResume = new HashSet<>();
        for (TopicPartition partition : kafkaConsumer.assignment()) {
            PartitionProgress of = progress.get(partition);
            int held = of == null ? 0 : of.unfinishedCount();
            boolean pause = held >= config.maxBufferedPerPartition()
                    || urgentWaiting && partition.topic().equals(Topics.ROTATION_DUE);
            if (pause && !paused.contains(partition)) {
                toPause.add(partition);
            } else if (!pause && paused.contains(partition)) {
                toResume.add(partition);
            }
        }
        if (!toPause.isEmpty()) {
            kafkaConsumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            kafkaConsumer.resume(toResume);
        }
    }

    private void commit(KafkaConsumer<String, String> kafkaConsumer, Collection<TopicPartition> partitions,
                        boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> committing = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress of = progress.get(partition);
            if (of != null) {
                of.toCommit().ifPresent(offset -> {
                    offsets.put(partition, new OffsetAndMetadata(offset));
                    committing.put(partition, offset);
                });
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            kafkaConsumer.commitSync(offsets, Duration.ofSeconds(10));
            committing.forEach((partition, offset) -> progress.get(partition).committed(offset));
        } else {
            kafkaConsumer.commitAsync(offsets, (done, error) -> {
                if (error == null) {
                    committing.forEach((partition, offset) -> {
                        PartitionProgress of = progress.get(partition);
                        if (of != null) {
                            of.committed(offset);
                        }
                    });
                } else {
                    Log.debugf("offset commit failed (tried again in %s): %s", config.commitInterval(),
                            error.getClass().getSimpleName());
                }
            });
        }
    }

    /**
     * A rebalance: before revoked partitions are given up, their unstarted requests are forgotten (the new owner gets
     * them from the committed offset), their running rotations finish (at most {@code revoke-timeout}), and what is
     * finished is committed. A rotation still running after that completes anyway; its record is redelivered to the
     * new owner, whose run waits for this one's lease and then replays or finishes it.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> kafkaConsumer;

        Rebalance(KafkaConsumer<String, String> kafkaConsumer) {
            this.kafkaConsumer = kafkaConsumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            scheduler.withdraw(partitions);
            if (!scheduler.awaitRunning(partitions, config.revokeTimeout())) {
                Log.warnf("rebalance: rotations of revoked partitions still run after %s; their records go to the "
                        + "new owner", config.revokeTimeout());
            }
            try {
                commit(kafkaConsumer, partitions, true);
            } catch (RuntimeException e) {
                Log.warnf("rebalance: committing the revoked partitions failed: %s", e.getClass().getSimpleName());
            }
            partitions.forEach(progress::remove);
            Log.infof("rebalance: gave up %d partitions", partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> progress.put(p, new PartitionProgress(p)));
            state.assigned(partitions.size());
            Log.infof("rebalance: took %d partitions: %s", partitions.size(), describe(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member owns them already: nothing may be committed for them
            scheduler.withdraw(partitions);
            partitions.forEach(progress::remove);
            Log.warnf("rebalance: lost %d partitions", partitions.size());
        }
    }

    private static String describe(Collection<TopicPartition> partitions) {
        return partitions.stream().collect(Collectors.groupingBy(TopicPartition::partition, Collectors.counting()))
                .keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
