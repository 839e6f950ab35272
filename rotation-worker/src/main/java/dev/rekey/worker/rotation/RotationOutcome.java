package dev.rekey.worker.rotation;

import dev.rekey.events.OldCredential;

import java.time.Instant;

/** How a run of a rotation ended, as far as the consumer needs to know to emit, retry or wait. */
public sealed interface RotationOutcome {

    /**
     * The new value is committed in Vault.
     *
     * @param replayed       the rotation had been committed before (a redelivery): nothing was changed this time
     * @param activeUsername the downstream user that Vault's value logs in as
     * @param durationMs     from the worker receiving the request to the commit (or the replay)
     * @param followUp       steps after the commit (revoking the replaced value, the breach scramble) that are still
     *                       to be done by running the rotation again later, else null
     */
    record Rotated(long version, long previousVersion, boolean replayed, String activeUsername, long durationMs,
                   FollowUp followUp) implements RotationOutcome {
    }

    /**
     * Steps after a commit still to be done: the rotation runs again (its replay does them).
     *
     * @param reason why they were not done in this run
     * @param after  when to run again: null for the usual retry backoff (a step that did not get an answer), else
     *               this long after the commit (the breach switch grace of the alternating strategy)
     */
    record FollowUp(String reason, java.time.Duration after) {
    }

    /**
     * The run ended without a commit.
     *
     * @param step              where it stopped
     * @param reason            short, no secret value, no stack trace
     * @param permanent         retrying will not help (bad input, a refusal); else it may work later
     * @param oldCredential     what a login with Vault's current value showed, UNKNOWN when none could be made
     * @param valueMayBeInForce a pending value of this rotation may be in force downstream: the rotation must not end
     *                          until the worker can tell which value the downstream holds
     */
    record Failed(Step step, String reason, boolean permanent, OldCredential oldCredential, boolean valueMayBeInForce)
            implements RotationOutcome {
    }

    /** Another run holds the credential's pending record: run this one again at {@code notBefore}. */
    record Deferred(Instant notBefore, String reason) implements RotationOutcome {
    }
}
