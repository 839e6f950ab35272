package dev.rekey.inventory.api;

/** The roles of the API, taken from the JWT's {@code groups} claim. */
public final class Roles {

    /** Everything. */
    public static final String ADMIN = "admin";
    /** Reports breaches, reads everything. */
    public static final String INCIDENT_COMMANDER = "incident-commander";
    /** {@code sub} is an owner id; sees only that owner and its credentials. */
    public static final String OWNER = "owner";
    /** Reads everything, changes nothing. */
    public static final String AUDITOR = "auditor";

    private Roles() {
    }
}
