package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;

/**
 * A kind of downstream system (design.md, "Targets"): how a credential's new value is put in force there, and how a
 * login tells which value the system holds. Implementations are CDI beans picked by {@code target.type}; both
 * operations must be safe to repeat.
 */
public interface RotationTarget {

    /** Whether this target handles {@code target.type} (e.g. {@code postgresql}). */
    boolean supports(String type);

    /**
     * Puts {@code value} in force for {@code due.credential().username()}; with {@code due.terminateSessions()} it also
     * ends the user's live sessions.
     *
     * @throws TargetException when the system refuses or cannot be reached
     */
    void apply(RotationDue due, SecretValue value);

    /**
     * Whether the user logs in with {@code value}: false when the system rejects the login.
     *
     * @throws TargetException when the system cannot tell (unreachable, restarting)
     */
    boolean logsIn(RotationDue due, SecretValue value);
}
