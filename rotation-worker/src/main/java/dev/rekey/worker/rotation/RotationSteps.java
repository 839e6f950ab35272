package dev.rekey.worker.rotation;

import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One pass of the rotation protocol (design.md, "Rotation protocol"): dedupe, prepare, set, test, commit. Every step
 * is safe to repeat, so a pass may start over after a crash, a transient error or a conflict in Vault.
 * Invariant: at every instant the current or the pending value in Vault logs in to the downstream.
 */
@ApplicationScoped
class RotationSteps {

    @Inject
    SecretStore store;

    @Inject
    PendingValues pendingValues;

    @Inject
    SecretCommit commit;

    @Inject
    LoginProbe probe;

    Rotated run(RotationRun run) {
        run.step(RotationRun.PREPARE);
        SecretVersion current = store.readCurrent(run.path)
                .orElseThrow(() -> new StepFailure(RotationRun.PREPARE, "secret not found in Vault", false));
        if (SecretCommit.isCommitted(current, run.rotationId)) {
            return replay(run, current);
        }
        SecretValue next = pendingValues.prepare(run, current);
        setAndTest(run, current, next);
        run.step(RotationRun.COMMIT);
        long version = commit.commit(run.path, current, next, run.rotationId);
        return new Rotated(version, current.version(), false, run.elapsedMs());
    }

    /** A redelivery of a committed rotation: complete what a crash may have left undone, change nothing else. */
    private Rotated replay(RotationRun run, SecretVersion current) {
        run.step(RotationRun.COMMIT);
        commit.recordInMetadata(run.path, current, run.rotationId);
        // only our own record: another rotation may have started on top of this commit since
        if (store.readPending(run.path).filter(p -> run.rotationId.equals(p.rotationId())).isPresent()) {
            store.deletePending(run.path);
        }
        return new Rotated(current.version(), current.version() - 1, true, run.elapsedMs());
    }

    private void setAndTest(RotationRun run, SecretVersion current, SecretValue next) {
        run.step(RotationRun.SET);
        TargetException setError = trySet(run, next);
        if (setError == null && run.due.terminateSessions()) {
            run.target.endSessions(run.due, run.due.credential().username());
        }
        run.step(RotationRun.TEST);
        // a set that failed may still have been applied (a lost reply): one login tells
        if (setError == null ? probe.worksSoon(run, next) : probe.works(run, next)) {
            return;
        }
        String password = current.field(SecretCommit.DATA_PASSWORD);
        if (probe.works(run, password == null ? null : SecretValue.of(password))) {
            // the downstream kept the old value, so the pending one was never in force
            store.deletePending(run.path);
            throw new StepFailure(setError == null ? RotationRun.TEST : RotationRun.SET,
                    setError == null ? "the new value does not log in" : setError.getMessage(), true);
        }
        if (setError != null) {
            throw new StepFailure(RotationRun.SET, setError.getMessage() + "; the current value does not log in either",
                    false);
        }
        // neither value logs in: set the pending value once more, it is the one Vault keeps
        run.step(RotationRun.SET);
        run.target.apply(run.due, run.due.credential().username(), next);
        run.step(RotationRun.TEST);
        if (!probe.worksSoon(run, next)) {
            throw new StepFailure(RotationRun.TEST, "neither the new nor the current value logs in", false);
        }
    }

    /** Null when the value was set; the refusal when the downstream refused it. Transient errors propagate. */
    private static TargetException trySet(RotationRun run, SecretValue next) {
        try {
            run.target.apply(run.due, run.due.credential().username(), next);
            return null;
        } catch (TargetException e) {
            if (e.isTransient()) {
                throw e;
            }
            return e;
        }
    }
}
