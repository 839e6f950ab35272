package dev.rekey.client;

import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.MalformedEventException;
import dev.rekey.events.SecretRotated;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Reads {@code rekey.secret-rotated} on its own thread and hands the events for watched credentials to
 * {@link CredentialReloads}.
 *
 * <p>Every instance of an application must see every event of its credentials, so the feed assigns itself all the
 * topic's partitions (no consumer group: a group would split the partitions between the instances, and a group per
 * instance would leave a trail of dead groups and need group rights). It starts at the end of each partition and
 * asks for a check of Vault's current versions once the positions are fixed: whatever rotated before that is in
 * Vault, whatever rotates after it comes as an event. It commits nothing; positions live in memory only. The same
 * check follows every later assignment (partitions added to the topic, read from their beginning), positions lost to
 * retention ({@link InvalidOffsetException}: back to the end), and the broker answering again after it did not.
 */
final class SecretRotatedFeed implements Runnable {

    private static final System.Logger LOG = System.getLogger(RekeyClient.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);

    private final Consumer<String, String> consumer;
    private final String topic;
    private final CredentialReloads reloads;
    private final Duration brokerCheckInterval;
    private final Duration requestTimeout;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean running = true;
    private boolean everAssigned;
    private boolean failing;
    private int errorsInARow;
    private long nextBrokerCheck;
    final AtomicLong eventsMalformed = new AtomicLong();
    final AtomicLong feedErrors = new AtomicLong();

    SecretRotatedFeed(Consumer<String, String> consumer, String topic, CredentialReloads reloads,
                      Duration brokerCheckInterval, Duration requestTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.reloads = reloads;
        this.brokerCheckInterval = brokerCheckInterval;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    step();
                } catch (RuntimeException e) {
                    // whatever goes wrong, the feed must go on: a dead feed would miss every later rotation
                    failed(e);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void step() {
        try {
            if (System.nanoTime() - nextBrokerCheck >= 0) {
                checkBroker();
                nextBrokerCheck = System.nanoTime() + brokerCheckInterval.toNanos();
            }
            if (assigned.isEmpty()) {
                // the topic does not exist yet: nothing can have been published to it
                nextBrokerCheck = Math.min(nextBrokerCheck, System.nanoTime() + POLL_TIMEOUT.toNanos());
                pause(POLL_TIMEOUT);
                return;
            }
            for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
                handle(record);
            }
        } catch (WakeupException e) {
            // close() asked the poll to return
        } catch (InvalidOffsetException e) {
            LOG.log(WARNING, "positions on {0} are out of range (records deleted by retention); from the end again",
                    e.partitions());
            consumer.seekToEnd(e.partitions());
            e.partitions().forEach(p -> consumer.position(p, requestTimeout));
            reloads.checkCurrent("positions reset");
        }
    }

    /**
     * Assigns new partitions of the topic and asks the broker for their end offsets. A poll does not fail while the
     * broker is away (it reconnects quietly and keeps its positions), so this request is what tells: one that fails
     * marks the feed as failing, and the next that succeeds ends it with a check of Vault.
     */
    private void checkBroker() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, requestTimeout);
        Set<TopicPartition> all = infos == null ? Set.of() : infos.stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toSet());
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(assigned);
        if (!added.isEmpty()) {
            consumer.assign(all);
            if (everAssigned) {
                consumer.seekToBeginning(added);   // partitions created after we started hold only newer events
            } else {
                consumer.seekToEnd(added);
            }
            // fix the positions now: the check of Vault below must come after them
            added.forEach(p -> consumer.position(p, requestTimeout));
            assigned.addAll(added);
            everAssigned = true;
            LOG.log(INFO, "reading {0} partitions of {1}", assigned.size(), topic);
            reloads.checkCurrent("partitions assigned");
        } else if (!assigned.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, requestTimeout);
            for (TopicPartition p : assigned) {
                if (ends.getOrDefault(p, 0L) < consumer.position(p, requestTimeout)) {
                    // the topic was deleted and created again: its old offsets mean nothing now
                    consumer.seekToEnd(Set.of(p));
                    consumer.position(p, requestTimeout);
                    reloads.checkCurrent("partition " + p + " recreated");
                }
            }
        }
        recovered();
    }

    private void handle(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        if ((type != null && !EventTypes.SECRET_ROTATED.equals(type))
                || (record.key() != null && !reloads.watches(record.key()))) {
            reloads.eventsIgnored.incrementAndGet();
            return;
        }
        SecretRotated event;
        try {
            event = EventJson.decode(record.value(), SecretRotated.class);
        } catch (MalformedEventException e) {
            eventsMalformed.incrementAndGet();
            // the message names the field, never the payload
            LOG.log(WARNING, "skipping record {0}-{1}@{2}: {3}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (!reloads.watches(event.credentialId())) {
            reloads.eventsIgnored.incrementAndGet();
            return;
        }
        reloads.onEvent(event);
    }

    private void recovered() {
        if (failing) {
            failing = false;
            errorsInARow = 0;
            LOG.log(INFO, "the Kafka feed is back");
            reloads.checkCurrent("feed recovered");
        }
    }

    private void failed(RuntimeException e) {
        feedErrors.incrementAndGet();
        failing = true;
        errorsInARow++;
        long delay = Math.min(MAX_ERROR_BACKOFF.toMillis(), 500L << Math.min(10, errorsInARow - 1));
        // Kafka's messages name topics, partitions and nodes, never record contents
        LOG.log(WARNING, "the Kafka feed failed ({0}: {1}); trying again in {2} ms", e.getClass().getSimpleName(),
                e instanceof KafkaException ? e.getMessage() : "", delay);
        nextBrokerCheck = System.nanoTime();
        pause(Duration.ofMillis(delay));
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
