package dev.rekey.worker.rotation;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.vault.SecretPath;
import io.quarkus.logging.Log;

/** One rotation being processed: the request, where its secret lives, its target and the step it is in. */
final class RotationRun {

    static final String PREPARE = "prepare";
    static final String SET = "set";
    static final String TEST = "test";
    static final String COMMIT = "commit";

    final RotationDue due;
    final SecretPath path;
    final RotationTarget target;
    final String rotationId;
    private final long startNanos = System.nanoTime();
    private volatile String step = PREPARE;

    RotationRun(RotationDue due, SecretPath path, RotationTarget target) {
        this.due = due;
        this.path = path;
        this.target = target;
        this.rotationId = due.rotationId().toString();
    }

    String step() {
        return step;
    }

    void step(String next) {
        Log.debugf("%s: %s at %d ms", this, next, elapsedMs());
        step = next;
    }

    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "rotation " + rotationId + " of credential " + due.credentialId();
    }
}
