package dev.rekey.worker.intake;

/** Whether the intake consumes, for readiness and liveness: up, or down with a reason an operator can act on. */
public final class IntakeState {

    private volatile String downReason = "starting";
    private volatile int assignedPartitions;
    private volatile long lastPollNanos = System.nanoTime();

    void up() {
        downReason = null;
    }

    void down(String reason) {
        downReason = reason;
    }

    void assigned(int partitions) {
        assignedPartitions = partitions;
    }

    void polled() {
        lastPollNanos = System.nanoTime();
    }

    /** Null when consuming; else why not. */
    public String downReason() {
        return downReason;
    }

    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** Milliseconds since the consumer loop last polled. */
    public long sinceLastPollMs() {
        return (System.nanoTime() - lastPollNanos) / 1_000_000;
    }
}
