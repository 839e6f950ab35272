package dev.rekey.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff for a delivery that could not be sent.
 *
 * @param maxAttempts    attempts before giving up
 * @param initialBackoff wait after the first failure, doubled after each further one
 * @param maxBackoff     upper bound of a wait
 */
public record RetrySchedule(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetrySchedule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    static RetrySchedule from(DeliveryConfig config) {
        return new RetrySchedule(config.maxAttempts(), config.initialBackoff(), config.maxBackoff());
    }

    /** True when the attempt with this number (1 for the first) was the last one allowed. */
    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }

    /** The wait after {@code attemptsMade} failed attempts. */
    public Duration backoffAfter(int attemptsMade) {
        int doublings = Math.min(Math.max(attemptsMade - 1, 0), 30); // 2^30 already exceeds any sane bound
        Duration backoff = initialBackoff.multipliedBy(1L << doublings);
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    /** The backoff plus up to 20%, so that deliveries that failed together do not all come back together. */
    Duration jitteredBackoffAfter(int attemptsMade) {
        Duration backoff = backoffAfter(attemptsMade);
        return backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 5 + 1));
    }
}
