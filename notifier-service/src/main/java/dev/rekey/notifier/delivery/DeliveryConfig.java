package dev.rekey.notifier.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the sender works through the delivery log. */
@ConfigMapping(prefix = "notifier.delivery")
public interface DeliveryConfig {

    /** How often the timer looks for due deliveries: the safety net behind the wake-up after each commit. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Attempts at one delivery before it is marked FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; it doubles after each further failure (plus up to 20% jitter). */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Upper bound of the wait between two attempts. */
    @WithDefault("10m")
    Duration maxBackoff();

    /** Most deliveries claimed per database round trip (never more than the free sending slots). */
    @WithDefault("50")
    int batchSize();

    /**
     * Deliveries in flight at once. Each waits mostly on a round trip (the SMTP dialogue, a webhook's answer, the
     * statement that records it), so more in flight is more sent per second: the 50 owners' 100 digests of a
     * 5,000-credential campaign left 0.6-0.8 s after being enqueued with 32, 1.2-1.4 s with 10.
     */
    @WithDefault("32")
    int parallelSends();

    /**
     * Longest wait for one send (SMTP or webhook) before the attempt counts as failed. A server that accepts after
     * that gets the message again, with the same Message-ID / webhook-id.
     */
    @WithDefault("60s")
    Duration sendTimeout();

    /** How often this instance proves it is alive; its claims are its own while it does. */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /** How long after an instance's last heartbeat another instance takes its claims over. */
    @WithDefault("5s")
    Duration claimTimeout();
}
