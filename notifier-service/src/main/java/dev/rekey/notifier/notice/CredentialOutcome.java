package dev.rekey.notifier.notice;

import dev.rekey.events.OldCredential;

import java.time.Instant;

/**
 * How one rotation of a credential ended, as a digest reports it.
 *
 * @param version       the new KV v2 version, when rotated
 * @param vaultPath     {@code mount/path} of the secret
 * @param failedStep    the protocol step that failed, when failed
 * @param reason        why it failed (never a secret), when failed
 * @param oldCredential what a login with the value in Vault showed, when failed
 */
public record CredentialOutcome(String credentialId, boolean rotated, Long version, String vaultPath,
                                String failedStep, String reason, OldCredential oldCredential, Instant at) {

    public CredentialOutcome {
        credentialId = Text.line(credentialId, 200);
        vaultPath = vaultPath == null ? null : Text.line(vaultPath, 300);
        failedStep = failedStep == null ? null : Text.line(failedStep, 40);
        reason = reason == null ? null : Text.line(reason, 500);
    }

    /** True when applications reading the credential from Vault may be locked out. */
    public boolean lockedOut() {
        return !rotated && oldCredential == OldCredential.INVALID;
    }

    /** True when nobody could check whether the value in Vault still logs in. */
    public boolean unchecked() {
        return !rotated && oldCredential == OldCredential.UNKNOWN;
    }
}
