package dev.rekey.inventory.campaign.domain;

/** Where one credential of a breach campaign stands. */
public enum BreachCredentialStatus {
    /** Rotation requested, no result yet. */
    PENDING,
    /** An attempt failed and the worker will try again ({@code rotation-failed} with {@code final=false}). */
    RETRYING,
    /** The worker reported a verified new value. */
    ROTATED,
    /** The worker gave up on this rotation. */
    FAILED
}
