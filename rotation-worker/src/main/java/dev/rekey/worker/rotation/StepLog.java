package dev.rekey.worker.rotation;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.tracing.RotationSpan;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What production does at each step: a debug line (the rotation and the credential, never a value) and the step's
 * span in the rotation's trace ({@link RotationSpan}).
 */
@ApplicationScoped
public class StepLog implements StepListener {

    @Override
    public void reached(Step step, RotationDue due) {
        Log.debugf("rotation %s of credential %s: %s", due.rotationId(), due.credentialId(), step);
        RotationSpan.stepReached(step);
    }
}
