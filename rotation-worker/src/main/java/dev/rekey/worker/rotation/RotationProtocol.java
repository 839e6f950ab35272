package dev.rekey.worker.rotation;

import dev.rekey.events.GeneratorPolicy;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationStrategy;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.rotation.RotationOutcome.Deferred;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.vault.SecretPath;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.arc.All;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs one attempt of a rotation to an outcome: refuses a request that cannot work before anything is touched, then
 * runs passes of {@link RotationPass} until one commits or fails. A pass that restarts (the state in Vault moved)
 * runs again at once, a few times at most; one that must wait for another run's lease ends the attempt as
 * {@link Deferred}, so that the wait holds no thread. Transient errors are tried again after a short backoff inside
 * the attempt; beyond that, the consumer retries later. It never throws for a well-formed request.
 */
@ApplicationScoped
public class RotationProtocol {

    private static final int MAX_RESTARTS = 5;
    /** A wait this short is not worth giving the thread back. */
    private static final Duration SHORT_WAIT = Duration.ofMillis(50);

    private final RotationPass pass;
    private final List<RotationTarget> targets;
    private final WorkerConfig.Retry retry;

    RotationProtocol(RotationPass pass, @All List<RotationTarget> targets, WorkerConfig config) {
        this.pass = pass;
        this.targets = List.copyOf(targets);
        this.retry = config.retry();
    }

    /** The target that handles {@code type}, if any. */
    public Optional<RotationTarget> target(String type) {
        return targets.stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /**
     * @param receivedNanos when the worker received the request ({@link System#nanoTime()}), for durations
     */
    public RotationOutcome rotate(RotationDue due, long receivedNanos) {
        RotationRun run;
        try {
            run = checked(due, receivedNanos);
        } catch (IllegalArgumentException | TargetException e) {
            return new Failed(Step.READ, e.getMessage(), true, OldCredential.UNKNOWN, false);
        }
        try {
            return attempt(run);
        } catch (RuntimeException e) {
            // a bug, not a bad request: retried later like a crash (no cleanup: the lease runs out by itself)
            Log.errorf(e, "%s: unexpected error in step %s", run, run.step());
            return new Failed(run.step(), "internal error (" + e.getClass().getSimpleName() + ") in step "
                    + run.step().eventName(), false, OldCredential.UNKNOWN, run.valueMayBeInForce());
        } finally {
            run.end();
        }
    }

    private RotationOutcome attempt(RotationRun run) {
        int restarts = 0;
        int unanswered = 0;
        while (true) {
            PassResult result = pass.run(run);
            if (result instanceof PassResult.Committed done) {
                return new Rotated(done.version(), done.previousVersion(), done.replayed(), done.activeUsername(),
                        run.elapsedMs(), done.followUp());
            }
            if (result instanceof PassResult.Restart restart) {
                if (Instant.now().plus(SHORT_WAIT).isBefore(restart.notBefore())) {
                    return new Deferred(restart.notBefore(), restart.reason());
                }
                if (++restarts > MAX_RESTARTS) {
                    return new Failed(run.step(), "the pending record or the secret kept changing in Vault ("
                            + restart.reason() + ")", false, run.oldCredential(), run.valueMayBeInForce());
                }
                Log.debugf("%s: starting over: %s", run, restart.reason());
                continue;
            }
            PassResult.Failed failed = (PassResult.Failed) result;
            // a failed pre-check confirms that a system already suspected is down: no point holding the thread
            if (failed.permanent() || failed.step() == Step.PRECHECK
                    || ++unanswered >= Math.max(1, retry.quickAttempts())) {
                return new Failed(failed.step(), failed.reason(), failed.permanent(), failed.oldCredential(),
                        failed.valueMayBeInForce());
            }
            Log.debugf("%s: %s in step %s, trying again", run, failed.reason(), failed.step());
            pause(retry.quickDelay().toMillis() << (unanswered - 1));
        }
    }

    /** A run of {@code due}, or why it cannot work (bad input: nothing is touched). */
    private RotationRun checked(RotationDue due, long receivedNanos) {
        RotationTarget target = target(due.target().type())
                .orElseThrow(() -> new IllegalArgumentException("unsupported target type " + due.target().type()));
        SecretPath path = new SecretPath(due.credential().vaultMount(), due.credential().vaultPath());
        try {
            GeneratorPolicy.parse(due.policy().generator());
        } catch (GeneratorPolicy.InvalidPolicyException e) {
            throw new IllegalArgumentException("invalid generator policy: " + e.getMessage());
        }
        RotationStrategy strategy = RotationStrategy.of(due.policy().strategy())
                .orElseThrow(() -> new IllegalArgumentException("unknown rotation strategy " + due.policy().strategy()));
        boolean alternating = strategy == RotationStrategy.ALTERNATING;
        String alternate = due.credential().alternateUsername();
        if (alternating && (alternate == null || alternate.isBlank() || alternate.equals(due.credential().username()))) {
            throw new IllegalArgumentException("the alternating strategy needs credential.alternateUsername, "
                    + "a second user");
        }
        target.check(due);
        return new RotationRun(due, path, target, alternating, receivedNanos);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
