package dev.rekey.worker.rotation;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.secret.SecretValue;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Logs in to the downstream to find out which value it holds. */
@ApplicationScoped
class LoginProbe {

    @Inject
    WorkerConfig config;

    /** One login. */
    boolean works(RotationRun run, SecretValue value) {
        return value != null && run.target.logsIn(run.due, run.due.credential().username(), value);
    }

    /** A few logins apart: a value just set may take a moment to reach replicas or poolers. */
    boolean worksSoon(RotationRun run, SecretValue value) {
        int attempts = Math.max(1, config.loginCheck().attempts());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (works(run, value)) {
                return true;
            }
            if (attempt < attempts) {
                Log.debugf("%s: login attempt %d rejected, trying again", run, attempt);
                Pause.sleep(config.loginCheck().interval().toMillis());
            }
        }
        return false;
    }
}
