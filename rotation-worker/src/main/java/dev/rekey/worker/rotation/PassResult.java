package dev.rekey.worker.rotation;

import dev.rekey.events.OldCredential;

import java.time.Instant;

/** How one pass of the protocol ended: the pass reads top to bottom and returns one of these. */
sealed interface PassResult {

    /** The rotation is committed at {@code version} (now or before: {@code replayed}). */
    record Committed(long version, long previousVersion, boolean replayed, String activeUsername,
                     RotationOutcome.FollowUp followUp) implements PassResult {
    }

    /** The state in Vault moved under the pass (or belongs to another run): start over, not before {@code notBefore}. */
    record Restart(String reason, Instant notBefore) implements PassResult {

        static Restart now(String reason) {
            return new Restart(reason, Instant.EPOCH);
        }
    }

    /** The pass cannot complete. */
    record Failed(Step step, String reason, boolean permanent, OldCredential oldCredential, boolean valueMayBeInForce)
            implements PassResult {
    }
}
