package dev.rekey.worker.rotation;

import dev.rekey.worker.target.TargetException;

/** Sleeps on a worker thread; an interrupt (shutdown) ends the rotation as a transient failure. */
final class Pause {

    private Pause() {
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted", true);
        }
    }
}
