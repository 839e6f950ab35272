package dev.rekey.notifier.delivery;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the due deliveries of the log through their channels. Woken right after a consumer's commit that enqueued
 * something, and by a timer as the safety net (retries that came due). One drain at a time per instance; several instances share the log through claims tied to their heartbeats.
 *
 * <p>Delivery is at-least-once: the result of each attempt is recorded by its own statement as soon as the send
 * returns. The one window left is a receiver that accepted a message while this instance died before that
 * statement; the message is then sent again with the same {@code Message-ID} / {@code webhook-id}, so the receiver
 * can recognise it.
 */
@ApplicationScoped
public class DeliverySender {

    private static final Logger LOG = Logger.getLogger(DeliverySender.class);

    private final DeliveryLog log;
    private final DeliveryConfig config;
    private final RetrySchedule retries;
    private final NotifierInstance instance;
    private final DeliveryMetrics metrics;
    private final DeliveryTracing tracing;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private boolean claiming;          // guarded by this
    private boolean wokenWhileClaiming; // guarded by this
    private volatile boolean stopping;

    DeliverySender(DeliveryLog log, DeliveryConfig config, NotifierInstance instance, DeliveryMetrics metrics,
                   Instance<ChannelSender> channelSenders, DeliveryTracing tracing) {
        this.tracing = tracing;
        this.log = log;
        this.config = config;
        this.retries = RetrySchedule.from(config);
        this.instance = instance;
        this.metrics = metrics;
        channelSenders.forEach(sender -> senders.put(sender.channel(), sender));
    }

    /** Asks for the due deliveries to be sent now. Cheap, callable from any thread. */
    public void wakeUp() {
        drain();
    }

    @Scheduled(every = "${notifier.delivery.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        wakeUp();
        return log.retryQueue().invoke(metrics::retryQueue).replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    // in-flight sends finish (bounded), then the claims go back to the log for the other instances
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        instance.leave().onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(5));
    }

    // Keeps up to parallel-sends deliveries in flight: whenever one finishes, or something new is due, it claims as
    // many as there are free slots. A slow mail never holds back the ones behind it.
    private void drain() {
        if (stopping) {
            return;
        }
        int free;
        synchronized (this) {
            if (claiming) {
                wokenWhileClaiming = true; // the running claim looks again when it returns
                return;
            }
            free = config.parallelSends() - inFlight.get();
            if (free <= 0) {
                return; // a finishing send claims again
            }
            claiming = true;
        }
        int limit = Math.min(free, config.batchSize());
        log.claimDue(instance.id(), limit, config.claimTimeout()).subscribe().with(batch -> {
            batch.forEach(message -> {
                inFlight.incrementAndGet();
                deliver(message).subscribe().with(ignored -> sent(), failure -> sent());
            });
            boolean again;
            synchronized (this) {
                claiming = false;
                again = wokenWhileClaiming || batch.size() == limit;
                wokenWhileClaiming = false;
            }
            if (again) {
                drain();
            }
        }, failure -> {
            synchronized (this) {
                claiming = false;
                wokenWhileClaiming = false;
            }
            LOG.warnf("claiming due deliveries failed, the timer retries: %s", failure.toString());
        });
    }

    private void sent() {
        inFlight.decrementAndGet();
        drain();
    }

    private Uni<Void> deliver(OutgoingMessage message) {
        ChannelSender sender = senders.get(message.channel());
        io.opentelemetry.api.trace.Span span = tracing.start(message);
        // a server that never answers must not hold a sending slot and its claim for ever
        return Uni.createFrom().deferred(() -> sender.send(message))
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + config.sendTimeout()))
                .onFailure().recoverWithItem(e -> SendResult.retryable(e.getClass().getSimpleName() + ": " + e.getMessage()))
                .invoke(result -> DeliveryTracing.end(span, result))
                .chain(result -> record(message, result))
                .onFailure().invoke(e -> LOG.warnf("could not record the attempt at delivery %s: %s", message.id(), e.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> record(OutgoingMessage message, SendResult result) {
        if (result.sent()) {
            return log.markSent(message).invoke(() -> {
                metrics.sent(message.channel(), message.kind(), message.eventAt());
                LOG.debugf("sent %s %s to %s (delivery %s)", message.kind(), message.channel().label(),
                        message.audience(), message.id());
            });
        }
        int attemptsMade = message.attempts() + 1;
        boolean giveUp = result.permanent() || retries.exhausted(attemptsMade);
        Duration backoff = retries.jitteredBackoffAfter(attemptsMade);
        return log.markFailed(message, result.error(), giveUp, backoff).invoke(() -> {
            metrics.counted(message.channel(), message.kind(), giveUp ? "failed" : "retry");
            if (giveUp) {
                LOG.errorf("giving up on %s %s to %s (delivery %s) after %d attempts: %s", message.kind(),
                        message.channel().label(), message.audience(), message.id(), attemptsMade, result.error());
            } else {
                LOG.warnf("%s %s to %s (delivery %s) failed (attempt %d), retry in %d ms: %s", message.kind(),
                        message.channel().label(), message.audience(), message.id(), attemptsMade,
                        backoff.toMillis(), result.error());
            }
        });
    }
}
