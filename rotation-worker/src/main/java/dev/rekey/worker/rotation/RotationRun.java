package dev.rekey.worker.rotation;

import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.vault.SecretPath;

import java.util.UUID;

/**
 * One run of a rotation on this worker: the request, where its secret lives, its target, and what the run has
 * learnt so far. {@link #id} names the run as the holder of a pending record's lease.
 */
final class RotationRun {

    /** Whether a pending value of this rotation exists (and may be in force downstream). */
    enum RecordState { UNKNOWN, NONE, HELD }

    final RotationDue due;
    final SecretPath path;
    final RotationTarget target;
    final String rotationId;
    final boolean alternating;
    final String id = UUID.randomUUID().toString();
    private final long startNanos;
    private volatile Step step = Step.READ;
    private RecordState recordState = RecordState.UNKNOWN;
    private OldCredential oldCredential = OldCredential.UNKNOWN;
    private Lease lease;

    RotationRun(RotationDue due, SecretPath path, RotationTarget target, boolean alternating, long startNanos) {
        this.due = due;
        this.path = path;
        this.target = target;
        this.alternating = alternating;
        this.rotationId = due.rotationId().toString();
        this.startNanos = startNanos;
    }

    Step step() {
        return step;
    }

    void at(Step next) {
        step = next;
    }

    /** Whether a value of this rotation may be in force: until the pending path was read, it may. */
    boolean valueMayBeInForce() {
        return recordState != RecordState.NONE;
    }

    void recordState(RecordState state) {
        recordState = state;
    }

    OldCredential oldCredential() {
        return oldCredential;
    }

    /** What a login with Vault's current value showed. */
    void oldCredential(boolean works) {
        oldCredential = works ? OldCredential.VALID : OldCredential.INVALID;
    }

    /** A set of Vault's user happened: what an earlier login showed no longer says anything. */
    void oldCredentialUnknown() {
        oldCredential = OldCredential.UNKNOWN;
    }

    Lease lease() {
        return lease;
    }

    void hold(Lease held) {
        if (lease != null && lease != held) {
            lease.stopRenewing();
        }
        lease = held;
    }

    /** The run is over: its lease (if any) is no longer renewed. */
    void end() {
        if (lease != null) {
            lease.stopRenewing();
        }
    }

    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "rotation " + rotationId + " of credential " + due.credentialId();
    }
}
