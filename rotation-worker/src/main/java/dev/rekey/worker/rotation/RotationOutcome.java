package dev.rekey.worker.rotation;

/** How a rotation ended, as far as the result events need to know. */
public sealed interface RotationOutcome {

    /**
     * The new value is committed in Vault.
     *
     * @param replayed   the rotation had been committed before (a redelivery): nothing was changed this time
     * @param durationMs from receiving the request to the commit (or to the replay)
     */
    record Rotated(long version, long previousVersion, boolean replayed, long durationMs) implements RotationOutcome {
    }

    /**
     * The rotation gave up.
     *
     * @param step               prepare, set, test or commit
     * @param reason             short, no secret value, no stack trace
     * @param oldCredentialValid the value in Vault still logs in to the downstream
     */
    record Failed(String step, String reason, int attempts, boolean oldCredentialValid) implements RotationOutcome {
    }
}
