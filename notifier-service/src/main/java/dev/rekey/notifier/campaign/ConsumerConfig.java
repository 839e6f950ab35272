package dev.rekey.notifier.campaign;

import dev.rekey.messaging.RetryPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the notifier's consumers retry a batch whose transaction fails (see {@code rekey-messaging}). */
@ConfigMapping(prefix = "notifier.consumer")
public interface ConsumerConfig {

    /** Wait before the first retry; it doubles after each further failure. */
    @WithDefault("250ms")
    Duration retryBackoff();

    /** Upper bound of the wait between two retries. */
    @WithDefault("15s")
    Duration maxRetryBackoff();

    /**
     * Attempts at a transaction that fails for a reason other than the database being away, before its records are
     * applied one by one and the failing ones dead-lettered. A database that is away is waited for without bound.
     */
    @WithDefault("5")
    int attempts();

    default RetryPolicy retryPolicy() {
        return new RetryPolicy(retryBackoff(), maxRetryBackoff(), attempts());
    }
}
