package dev.rekey.notifier.campaign;

import dev.rekey.messaging.Traceparent;
import dev.rekey.messaging.TransactionalConsumer;
import dev.rekey.notifier.delivery.DeliverySender;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Consumes {@code rekey.breach-reported}, {@code rekey.secret-rotated} and {@code rekey.rotation-failed} on one
 * batch channel: each poll's records are one transaction of {@link CampaignBook} (thousands of outcomes in a few
 * statements, not one transaction each), the offsets are committed after it, and the sender is woken right after the
 * commit that made a message due. A malformed record goes to its own topic's {@code .dlq}; the rest of the batch is
 * applied.
 */
@ApplicationScoped
public class CampaignEventsConsumer {

    /** Incoming channel of the three campaign topics. */
    public static final String CHANNEL = "campaign-events";

    private static final Logger LOG = Logger.getLogger(CampaignEventsConsumer.class);

    private final CampaignBook book;
    private final DeliverySender sender;
    private final TransactionalConsumer consumer;

    CampaignEventsConsumer(CampaignBook book, DeliverySender sender, ConsumerConfig config) {
        this.book = book;
        this.sender = sender;
        this.consumer = new TransactionalConsumer("campaign events", config.retryPolicy());
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<List<String>> batch) {
        return consumer.consumeBatch(batch, CampaignEventsConsumer::decode, events -> {
            long start = System.nanoTime();
            return book.apply(events).invoke(enqueued -> {
                if (enqueued > 0) {
                    sender.wakeUp();
                }
                LOG.debugf("applied %d campaign events in %d ms, %d deliveries enqueued", events.size(),
                        (System.nanoTime() - start) / 1_000_000, enqueued);
            }).replaceWithVoid();
        });
    }

    private static CampaignEvent decode(Message<?> record) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class);
        String topic = kafka.map(m -> m.getTopic()).orElse("");
        String traceparent = kafka.map(m -> m.getHeaders().lastHeader(Traceparent.HEADER))
                .filter(h -> h.value() != null)
                .map(h -> new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
        return CampaignEvent.decode(topic, (String) record.getPayload(), traceparent);
    }
}
