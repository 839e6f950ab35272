package dev.rekey.worker.target;

/**
 * The downstream system refused or could not be reached. Transient errors (unreachable, restarting, a dropped
 * connection) are retried with backoff; the others (admin login rejected, missing role, missing privilege) are final.
 * The message never carries a secret value: it is built from SQL states and names, never from a server's message
 * about a statement that held a password.
 */
public class TargetException extends RuntimeException {

    private final boolean transientError;

    public TargetException(String message, boolean transientError) {
        super(message);
        this.transientError = transientError;
    }

    public boolean isTransient() {
        return transientError;
    }
}
