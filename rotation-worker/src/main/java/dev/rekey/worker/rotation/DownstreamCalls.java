package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.TargetException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The protocol's calls to a run's target, each one noting whether the system answered ({@link SystemReachability}).
 * A {@link TargetException} passes through: transient when the system could not be reached.
 */
@ApplicationScoped
class DownstreamCalls {

    private final SystemReachability reachability;
    private final WorkerConfig.LoginCheck loginCheck;

    DownstreamCalls(SystemReachability reachability, WorkerConfig config) {
        this.reachability = reachability;
        this.loginCheck = config.loginCheck();
    }

    void apply(RotationRun run, String user, SecretValue value) {
        call(run, () -> {
            run.target.apply(run.due, user, value);
            return null;
        });
    }

    /** One login; false when the system rejects it. */
    boolean logsIn(RotationRun run, String user, SecretValue value) {
        return value != null && call(run, () -> run.target.logsIn(run.due, user, value));
    }

    /** A few logins apart: a value just set may take a moment to reach replicas or poolers. */
    boolean logsInSoon(RotationRun run, String user, SecretValue value) {
        int attempts = Math.max(1, loginCheck.attempts());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (logsIn(run, user, value)) {
                return true;
            }
            if (attempt < attempts) {
                pause(loginCheck.interval().toMillis());
            }
        }
        return false;
    }

    void endSessions(RotationRun run, String user) {
        call(run, () -> run.target.endSessions(run.due, user));
    }

    void retire(RotationRun run, String user, SecretValue replaced) {
        call(run, () -> {
            run.target.retire(run.due, user, replaced);
            return null;
        });
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(RotationRun run, Call<T> call) {
        String system = run.due.credential().systemId();
        try {
            T result = call.run();
            reachability.answered(system);
            return result;
        } catch (TargetException e) {
            if (e.isTransient()) {
                reachability.failed(system);
            } else {
                reachability.answered(system);
            }
            throw e;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted while waiting to log in again", true);
        }
    }
}
