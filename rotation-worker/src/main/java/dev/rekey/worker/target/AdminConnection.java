package dev.rekey.worker.target;

/** An open admin session of a target on a downstream system, as {@link AdminConnections} pools it. */
public interface AdminConnection extends AutoCloseable {

    /** Whether the connection can still be used; called before an idle one is handed out again. */
    boolean isUsable();

    /** The system's id for this session (backend pid, thread id, client id), so that {@code endSessions} spares it. */
    long sessionId();

    /** Closes the connection; never throws. */
    @Override
    void close();
}
