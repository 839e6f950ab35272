package dev.rekey.events;

import java.util.regex.Pattern;

/** The format of rekey ids (owners, systems, credentials, providers, tags), the same in every service. */
public final class Ids {

    /** Lower-case letters, digits, {@code .}, {@code _} and {@code -}; starts with a letter or digit; at most 63. */
    public static final String PATTERN = "[a-z0-9][a-z0-9._-]{0,62}";
    /** The validation message for {@link #PATTERN}. */
    public static final String MESSAGE = "must match " + PATTERN;

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Ids() {
    }

    /** Whether {@code id} is a valid id. */
    public static boolean isValid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
