package dev.rekey.inventory.credential.domain;

/** Where a credential stands with respect to rotation. */
public enum CredentialStatus {
    /** In use, nothing pending. */
    ACTIVE,
    /** In a breach's blast radius; a rotation is due. */
    ROTATING,
    /** The last rotation failed for good; the value in Vault is the one from before. */
    ROTATION_FAILED,
    /** Found by discovery in Vault and claimed by nobody yet: no owner, no known user, not rotated by rekey. */
    UNOWNED
}
