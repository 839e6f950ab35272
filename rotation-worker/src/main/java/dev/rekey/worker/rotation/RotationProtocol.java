package dev.rekey.worker.rotation;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.secret.PasswordGenerator.UnsupportedPolicyException;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.SystemGates;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.VaultRejectedException;
import dev.rekey.worker.vault.VaultUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a {@link RotationDue} to an outcome: within the system's concurrency bound, one rotation per credential at a
 * time in this worker, transient errors retried with bounded exponential backoff, conflicts in Vault re-run from
 * prepare once. It never throws for a well-formed request: every way it ends is a {@link RotationOutcome}.
 */
@ApplicationScoped
public class RotationProtocol {

    @Inject
    RotationSteps steps;

    @Inject
    SystemGates gates;

    @Inject
    CredentialLocks locks;

    @Inject
    Instance<RotationTarget> targets;

    @Inject
    SecretStore store;

    @Inject
    LoginProbe probe;

    @Inject
    WorkerConfig config;

    /** @param urgent a breach or manual rotation: it goes first where the system's bound makes rotations wait */
    public RotationOutcome rotate(RotationDue due, boolean urgent) {
        RotationTarget target = targets.stream().filter(t -> t.type().equals(due.target().type())).findFirst().orElse(null);
        if (target == null) {
            return new Failed(RotationRun.PREPARE, "unsupported target type " + due.target().type(), 1, false);
        }
        SecretPath path;
        try {
            path = new SecretPath(due.credential().vaultMount(), due.credential().vaultPath());
        } catch (IllegalArgumentException e) {
            return new Failed(RotationRun.PREPARE, "invalid vault mount or path", 1, false);
        }
        RotationRun run = new RotationRun(due, path, target);
        return gates.within(due, urgent, () -> locks.withLock(path.logical(), () -> withRetries(run)));
    }

    private RotationOutcome withRetries(RotationRun run) {
        int attempts = Math.max(1, config.retry().attempts());
        for (int attempt = 1; ; attempt++) {
            try {
                return withRestarts(run);
            } catch (StepFailure e) {
                return failed(run, e.step, e.getMessage(), attempt, e.oldCredentialValid);
            } catch (VaultRejectedException | UnsupportedPolicyException e) {
                return failed(run, run.step(), e.getMessage(), attempt, null);
            } catch (VaultUnavailableException | TargetException e) {
                boolean retryable = !(e instanceof TargetException te) || te.isTransient();
                if (!retryable || attempt >= attempts) {
                    return failed(run, run.step(), e.getMessage(), attempt, null);
                }
                Log.infof("%s: %s in step %s, attempt %d of %d", run, e.getMessage(), run.step(), attempt, attempts);
                Pause.sleep(backoffMs(attempt));
            } catch (RuntimeException e) {
                // a bug, not a bad request: report it as a failure rather than dead-lettering a valid request
                Log.errorf(e, "%s: unexpected error in step %s", run, run.step());
                return failed(run, run.step(), "internal error (" + e.getClass().getSimpleName() + ")", attempt, null);
            }
        }
    }

    /** A conflict in Vault re-runs the pass from prepare, once per kind of conflict. */
    private RotationOutcome withRestarts(RotationRun run) {
        boolean conflictSeen = false;
        boolean adoptionSeen = false;
        while (true) {
            try {
                return steps.run(run);
            } catch (Restart restart) {
                boolean conflict = restart.why == Restart.Why.COMMIT_CONFLICT;
                if (conflict ? conflictSeen : adoptionSeen) {
                    throw new StepFailure(run.step(), "the secret kept changing in Vault during the rotation", null);
                }
                conflictSeen |= conflict;
                adoptionSeen |= !conflict;
            }
        }
    }

    private Failed failed(RotationRun run, String step, String reason, int attempts, Boolean oldCredentialValid) {
        boolean oldValid = oldCredentialValid != null ? oldCredentialValid : currentValueWorks(run);
        return new Failed(step, reason, attempts, oldValid);
    }

    /** Best effort: whether the value in Vault still logs in; false when that cannot be found out. */
    private boolean currentValueWorks(RotationRun run) {
        try {
            return store.readCurrent(run.path)
                    .map(current -> current.field(SecretCommit.DATA_PASSWORD))
                    .map(password -> probe.works(run, SecretValue.of(password)))
                    .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Exponential with equal jitter, so that workers retrying together spread out. */
    private long backoffMs(int attempt) {
        long base = config.retry().baseDelay().toMillis();
        long delay = Math.min(config.retry().maxDelay().toMillis(), base << Math.min(20, attempt - 1));
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }
}
