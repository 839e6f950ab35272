package dev.rekey.inventory.api;

/** The format of inventory ids (owners, systems, credentials), shared by every request type. */
public final class Identifiers {

    /** Lower-case, starts with a letter or digit, at most 63 characters. */
    public static final String PATTERN = "[a-z0-9][a-z0-9._-]{0,62}";
    /** The validation message for {@link #PATTERN}. */
    public static final String MESSAGE = "must match " + PATTERN;

    private Identifiers() {
    }
}
