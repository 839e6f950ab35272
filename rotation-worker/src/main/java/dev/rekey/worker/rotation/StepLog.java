package dev.rekey.worker.rotation;

import dev.rekey.events.RotationDue;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/** Logs each step at debug level: the rotation and the credential, never a value. */
@ApplicationScoped
public class StepLog implements StepListener {

    @Override
    public void reached(Step step, RotationDue due) {
        Log.debugf("rotation %s of credential %s: %s", due.rotationId(), due.credentialId(), step);
    }
}
