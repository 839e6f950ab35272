package dev.rekey.notifier.delivery;

/** Where a delivery stands. */
public enum DeliveryStatus {
    /** Not sent yet; due at {@code next_attempt_at}. */
    PENDING,
    /** Accepted by the SMTP server. */
    SENT,
    /** Given up after the maximum number of attempts; {@code last_error} says why. */
    FAILED
}
