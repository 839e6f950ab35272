package dev.rekey.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notifier's metrics, exactly as NAMES.md names them: {@code rekey_notifications_total{channel,kind,outcome}}
 * (outcome sent, retry, failed), {@code rekey_notification_latency_seconds{channel}} (from the event to the send)
 * and {@code rekey_notification_retry_queue}.
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final AtomicLong retryQueue = new AtomicLong();

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("rekey.notification.retry.queue", retryQueue);
    }

    /** One attempt's outcome: {@code sent}, {@code retry} or {@code failed}. */
    public void counted(Channel channel, String kind, String outcome) {
        Counter.builder("rekey.notifications").description("Notification attempts by channel, kind and outcome")
                .tag("channel", channel.label()).tag("kind", kind).tag("outcome", outcome)
                .register(registry).increment();
    }

    public void sent(Channel channel, String kind, Instant eventAt) {
        counted(channel, kind, "sent");
        Timer.builder("rekey.notification.latency").description("From the event a message reports to its send")
                .tag("channel", channel.label()).publishPercentileHistogram()
                .register(registry).record(Duration.between(eventAt, Instant.now()).abs());
    }

    void retryQueue(long size) {
        retryQueue.set(size);
    }
}
