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

    /** Attempts at one mail before it is marked FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; it doubles after each further failure. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Upper bound of the wait between two attempts. */
    @WithDefault("10m")
    Duration maxBackoff();

    /** How long a claimed delivery stays reserved for its sender; if that sender dies, it is sent again after this. */
    @WithDefault("2m")
    Duration claimLease();

    /** Deliveries claimed per database round trip. */
    @WithDefault("20")
    int batchSize();

    /** Mails of one batch sent at the same time. */
    @WithDefault("4")
    int parallelSends();
}
