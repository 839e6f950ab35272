package dev.rekey.vault;

/**
 * A Vault login that did not succeed: the credentials were refused ({@link #status()} 400 or 403) or Vault stayed
 * unreachable or unavailable through every attempt ({@link #status()} 0 for no answer, else the last 5xx). The message
 * names the step and the status, never a token or secret id.
 */
public final class VaultSessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    VaultSessionException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of Vault's last answer; 0 when there was none. */
    public int status() {
        return status;
    }
}
