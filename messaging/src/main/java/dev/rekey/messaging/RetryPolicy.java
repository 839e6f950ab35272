package dev.rekey.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TransactionalConsumer} retries a record's transaction.
 *
 * @param initialBackoff wait after the first failure; it doubles after each further one
 * @param maxBackoff     upper bound of a wait
 * @param attempts       attempts in all for a failure of kind {@link FailureKind#OTHER} before the record is
 *                       dead-lettered; {@link FailureKind#INFRASTRUCTURE} failures are retried without bound
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int attempts) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initialBackoff <= maxBackoff");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** The wait after the {@code failures}-th failure (1 for the first). */
    public Duration backoffAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        Duration backoff = initialBackoff.multipliedBy(1L << doublings);
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
