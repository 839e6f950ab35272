package dev.rekey.worker.target;

import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;

/**
 * A kind of downstream system (design.md, "Targets"): how a user's new value is put in force there, how a login
 * tells which value the system holds, and how the user's live sessions end. One class per {@code target.type},
 * picked by {@link #type()}; every operation must be safe to repeat, and none may put a value into a message, a
 * log line or an exception. The protocol decides which user to act on (the alternating strategy rotates the
 * user not in use), so every operation names the user.
 */
public interface RotationTarget {

    /** The {@code target.type} this class handles, e.g. {@code postgresql}. */
    String type();

    /**
     * Refuses, before anything is touched, a request that cannot work on this target: settings that do not fit, a
     * missing database, a user name the system cannot have.
     *
     * @throws TargetException not transient, naming what does not fit
     */
    default void check(RotationDue due) {
    }

    /**
     * Puts {@code value} in force for {@code username}.
     *
     * @throws TargetException when the system refuses (not transient) or cannot be reached (transient)
     */
    void apply(RotationDue due, String username, SecretValue value);

    /**
     * Whether {@code username} logs in with {@code value}: false when the system rejects the login.
     *
     * @throws TargetException transient when the system cannot tell (unreachable, restarting)
     */
    boolean logsIn(RotationDue due, String username, SecretValue value);

    /**
     * Ends the live sessions of {@code username} (a breach rotation: an attacker may hold one open), other than the
     * worker's own.
     *
     * @return how many sessions were ended; 0 for targets without sessions
     */
    int endSessions(RotationDue due, String username);

    /**
     * Whether a value stays valid after another one was applied for the same user (API keys of an HTTP target):
     * the protocol then calls {@link #retire} for the replaced value once the new one is committed in Vault.
     */
    default boolean keepsReplacedValues() {
        return false;
    }

    /**
     * Whether this system keeps a replaced value valid: the same as {@link #keepsReplacedValues()} unless the answer
     * depends on the system's settings (an http target keeps replaced keys only where it declares a revoke call).
     * The protocol asks this one.
     */
    default boolean keepsReplacedValues(RotationDue due) {
        return keepsReplacedValues();
    }

    /** Revokes a replaced value; only called when {@link #keepsReplacedValues()}. Safe to repeat. */
    default void retire(RotationDue due, String username, SecretValue replaced) {
    }
}
