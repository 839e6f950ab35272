package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Checks that several target types share: which settings a type takes, and what a user name may hold. */
public final class TargetChecks {

    private TargetChecks() {
    }

    /**
     * Refuses any setting that {@code type} does not take.
     *
     * @param takes the names of the {@link TargetSettings} fields that the type takes
     */
    public static void allowOnly(RotationDue due, String type, Set<String> takes) {
        TargetSettings settings = due.target().settings();
        List<String> extra = new ArrayList<>();
        addIf(extra, settings.managementPort() != null, "managementPort", takes);
        addIf(extra, settings.tls() != null, "tls", takes);
        addIf(extra, settings.set() != null, "set", takes);
        addIf(extra, settings.test() != null, "test", takes);
        addIf(extra, settings.revoke() != null, "revoke", takes);
        if (!extra.isEmpty()) {
            throw new TargetException("target type " + type + " takes "
                    + (takes.isEmpty() ? "no settings" : "only the settings " + String.join(", ", takes.stream().sorted().toList()))
                    + "; refused: " + String.join(", ", extra), false);
        }
    }

    /** The users a request may act on: the credential's user and, for the alternating strategy, the second one. */
    public static Stream<String> usernames(RotationDue due) {
        String alternate = due.credential().alternateUsername();
        return alternate == null ? Stream.of(due.credential().username())
                : Stream.of(due.credential().username(), alternate);
    }

    /** Refuses an empty user name or one holding a control character (NUL, line breaks), which no target takes. */
    public static void requirePrintableUsernames(RotationDue due, String type) {
        usernames(due).forEach(user -> {
            if (user.isEmpty()) {
                throw new TargetException("a " + type + " user name cannot be empty", false);
            }
            if (user.chars().anyMatch(Character::isISOControl)) {
                throw new TargetException("a " + type + " user name cannot hold control characters", false);
            }
        });
    }

    /** The target's port, or {@code standard} when the request gives none. */
    public static int portOr(RotationDue due, int standard) {
        return due.target().port() > 0 ? due.target().port() : standard;
    }

    private static void addIf(List<String> extra, boolean present, String name, Set<String> takes) {
        if (present && !takes.contains(name)) {
            extra.add(name);
        }
    }
}
