package dev.rekey.inventory.api;

import java.util.List;

/** The roles of the API, taken from the JWT's {@code groups} claim. */
public final class Roles {

    /** Everything. */
    public static final String ADMIN = "admin";
    /** Reports breaches, reads everything. */
    public static final String INCIDENT_COMMANDER = "incident-commander";
    /** The owner id is the token's {@code sub} (or {@code rekey.security.owner-claim}); sees only its own objects. */
    public static final String OWNER = "owner";
    /** Reads everything, the audit log too; changes nothing. */
    public static final String AUDITOR = "auditor";

    /** Every role, in the order the API documents them. */
    public static final List<String> ALL = List.of(ADMIN, INCIDENT_COMMANDER, OWNER, AUDITOR);

    private Roles() {
    }
}
