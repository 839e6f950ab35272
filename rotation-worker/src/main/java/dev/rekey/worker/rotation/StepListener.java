package dev.rekey.worker.rotation;

import dev.rekey.events.RotationDue;

/**
 * Told before each step of a rotation starts, on the rotation's thread. Production logs it ({@link StepLog}); tests
 * replace it (a CDI alternative) to stop a rotation between any two steps as a crash would.
 */
public interface StepListener {

    void reached(Step step, RotationDue due);
}
