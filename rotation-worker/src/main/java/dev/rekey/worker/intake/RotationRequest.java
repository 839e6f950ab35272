package dev.rekey.worker.intake;

import dev.rekey.messaging.Traceparent;
import dev.rekey.events.CauseType;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A rotation-due record taken from Kafka, until its result is acknowledged: where it came from (its offset is
 * committed once the result is durable), the request, and its place in line.
 *
 * @param priority      0 urgent (breach, manual), 1 a retry of an urgent one, 2 scheduled (and its retries)
 * @param attempts      attempts made before this record (its {@code rekey-attempts} header, 0 on first delivery)
 * @param firstFailure  when the first attempt failed ({@code rekey-first-failure-at}), null before
 * @param retryAt       when a retry record is due ({@code rekey-retry-at}), null for first deliveries
 * @param receivedNanos when this worker took it, for durations
 */
record RotationRequest(PartitionProgress progress, long offset, String topic, String rawValue, RotationDue due,
                       int priority, int attempts, Instant firstFailure, Instant retryAt, String traceparent,
                       long receivedNanos, long sequence) {

    static final String RETRY_AT = "rekey-retry-at";
    static final String ATTEMPTS = "rekey-attempts";
    static final String FIRST_FAILURE_AT = "rekey-first-failure-at";

    static RotationRequest of(ConsumerRecord<String, String> record, RotationDue due, PartitionProgress progress,
                              long sequence) {
        boolean retry = record.topic().equals(Topics.ROTATION_DUE_RETRY);
        boolean urgent = record.topic().equals(Topics.ROTATION_DUE_URGENT)
                || due.cause().type() != CauseType.SCHEDULED && retry;
        int priority = record.topic().equals(Topics.ROTATION_DUE_URGENT) ? 0 : urgent ? 1 : 2;
        return new RotationRequest(progress, record.offset(), record.topic(), record.value(), due, priority,
                retry ? (int) number(record, ATTEMPTS, 0) : 0,
                retry && header(record, FIRST_FAILURE_AT) != null ? Instant.ofEpochMilli(number(record, FIRST_FAILURE_AT, 0)) : null,
                retry ? Instant.ofEpochMilli(number(record, RETRY_AT, 0)) : null,
                header(record, Traceparent.HEADER), System.nanoTime(), sequence);
    }

    TopicPartition partition() {
        return progress.partition();
    }

    boolean urgent() {
        return priority < 2;
    }

    /** The credential, as the pending record protects it: two runs of one credential never run at once here. */
    String credentialKey() {
        return due.credential().vaultMount() + "/" + due.credential().vaultPath();
    }

    String systemId() {
        return due.credential().systemId();
    }

    /** The same request, due again at once (a deferred run, or a retry record whose time has come). */
    RotationRequest dueNow() {
        return new RotationRequest(progress, offset, topic, rawValue, due, priority, attempts, firstFailure, null,
                traceparent, receivedNanos, sequence);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(ConsumerRecord<String, String> record, String name, long otherwise) {
        String text = header(record, name);
        try {
            return text == null ? otherwise : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public String toString() {
        return "rotation " + due.rotationId() + " of credential " + due.credentialId() + " (" + topic + "@" + offset + ")";
    }
}
