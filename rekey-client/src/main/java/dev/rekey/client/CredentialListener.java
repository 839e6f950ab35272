package dev.rekey.client;

/**
 * Told about every change of a watched credential. Calls come from one client thread, one at a time, in version
 * order per credential; keep them short (flush a pool, swap a client), since the next reload waits for them. An
 * exception thrown here is logged in one line and changes nothing: the client holds the new value either way.
 */
public interface CredentialListener {

    /**
     * A watched credential has a newer version. {@code previous} is the value held until now: with the in-place
     * strategy it stops working as soon as the rotation happened; with the alternating strategy it keeps working
     * until the next rotation.
     */
    void rotated(Credential current, Credential previous);

    /**
     * A version could not be read (deleted or destroyed in Vault, permission denied, Vault unreachable, fields
     * missing). The client keeps the value it has and tries again after {@link ReloadFailure#retryIn()}.
     */
    default void reloadFailed(ReloadFailure failure) {
    }
}
