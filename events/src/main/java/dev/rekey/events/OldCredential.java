package dev.rekey.events;

/**
 * What a login with the value in Vault showed when a rotation failed: whether anyone who reads the credential from
 * Vault is locked out.
 */
public enum OldCredential {
    /** The value in Vault still logs in: nothing is locked out. */
    VALID,
    /** The value in Vault is refused: someone must act now. */
    INVALID,
    /** The worker could not find out (the downstream or Vault did not answer). */
    UNKNOWN
}
