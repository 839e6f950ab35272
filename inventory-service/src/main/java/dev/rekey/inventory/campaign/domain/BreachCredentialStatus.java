package dev.rekey.inventory.campaign.domain;

/** Where one credential of a breach campaign stands. */
public enum BreachCredentialStatus {
    /** Rotation requested, no final result yet. */
    PENDING,
    /** The worker reported a verified new value. */
    ROTATED,
    /** The worker gave up on this rotation. */
    FAILED
}
