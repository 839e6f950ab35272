package dev.rekey.inventory.campaign;

import dev.rekey.events.MalformedEventException;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads the CloudEvents id of a consumed record: the key under which its effect is applied at most once. */
final class CloudEventIds {

    private static final int MAX_LENGTH = 200;

    private CloudEventIds() {
    }

    /**
     * The {@code ce_id} of a binary-mode record.
     *
     * @throws MalformedEventException when the record has none, so that it is dead-lettered
     */
    static String of(Message<?> record) {
        Optional<String> id = record.getMetadata(IncomingCloudEventMetadata.class)
                .map(ce -> ce.getId())
                .or(() -> record.getMetadata(IncomingKafkaRecordMetadata.class).map(CloudEventIds::header));
        String value = id.filter(s -> !s.isBlank()).orElseThrow(
                () -> new MalformedEventException("record has no ce_id header (CloudEvents binary mode expected)", null));
        if (value.length() > MAX_LENGTH) {
            throw new MalformedEventException("ce_id is longer than " + MAX_LENGTH + " characters", null);
        }
        return value;
    }

    private static String header(IncomingKafkaRecordMetadata<?, ?> kafka) {
        Header header = kafka.getHeaders().lastHeader("ce_id");
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
