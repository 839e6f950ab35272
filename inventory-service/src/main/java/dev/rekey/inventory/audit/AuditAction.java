package dev.rekey.inventory.audit;

import java.util.Locale;

/** What a write did, as the audit log names it: {@code <object type>.<verb>}. */
public enum AuditAction {
    OWNER_CREATED, OWNER_UPDATED, OWNER_DELETED,
    SYSTEM_CREATED, SYSTEM_UPDATED, SYSTEM_DELETED, SYSTEM_DISCOVERED,
    CREDENTIAL_CREATED, CREDENTIAL_UPDATED, CREDENTIAL_DELETED, CREDENTIAL_IMPORTED, CREDENTIAL_DISCOVERED,
    CREDENTIAL_ROTATION_REQUESTED,
    BREACH_REPORTED, BREACH_RETRIED;

    /** e.g. {@code credential.imported}. */
    public String wireName() {
        return objectType() + "." + name().substring(name().indexOf('_') + 1).toLowerCase(Locale.ROOT);
    }

    /** e.g. {@code credential}. */
    public String objectType() {
        return name().substring(0, name().indexOf('_')).toLowerCase(Locale.ROOT);
    }
}
