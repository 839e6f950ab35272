package dev.rekey.notifier.campaign;

/** How a breach rotation ended. */
public enum OutcomeKind {
    /** A new value is in Vault and verified against the downstream system. */
    ROTATED,
    /** The worker gave up ({@code final=true}). */
    FAILED
}
