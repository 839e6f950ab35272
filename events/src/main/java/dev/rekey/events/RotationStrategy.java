package dev.rekey.events;

import java.util.Arrays;
import java.util.Optional;

/** How a new value is put in force: {@code RotationDue.policy.strategy}. */
public enum RotationStrategy {
    /** The same downstream user gets the new value. */
    IN_PLACE("in-place"),
    /**
     * Two downstream users per credential: the one not in use is rotated, then Vault's value switches to it, so that
     * a consumer holding the previous value keeps working until it reloads.
     */
    ALTERNATING("alternating");

    private final String wireName;

    RotationStrategy(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in events and the REST API. */
    public String wireName() {
        return wireName;
    }

    /** The strategy of that wire name, if there is one. */
    public static Optional<RotationStrategy> of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }
}
