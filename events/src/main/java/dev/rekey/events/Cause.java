package dev.rekey.events;

import java.util.Objects;
import java.util.UUID;

/**
 * Why a rotation happens.
 *
 * @param type     scheduled, breach or manual
 * @param breachId the breach campaign this rotation belongs to; present exactly when {@code type} is BREACH
 */
public record Cause(CauseType type, UUID breachId) {

    public Cause {
        Objects.requireNonNull(type, "type");
        if ((type == CauseType.BREACH) != (breachId != null)) {
            throw new IllegalArgumentException("breachId is required for BREACH causes and only for them");
        }
    }

    public static Cause breach(UUID breachId) {
        return new Cause(CauseType.BREACH, breachId);
    }

    public static Cause manual() {
        return new Cause(CauseType.MANUAL, null);
    }

    public static Cause scheduled() {
        return new Cause(CauseType.SCHEDULED, null);
    }
}
