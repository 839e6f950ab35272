package dev.rekey.worker.rotation;

/**
 * The steps of a rotation, in the order a pass runs them (README, "The protocol"). {@link #eventName()} is what a
 * {@code rotation-failed} event names: prepare, set, test or commit.
 */
public enum Step {
    /** Read the secret's current version; a rotation committed before is replayed, not run again. */
    READ("prepare"),
    /** Read the pending path; create, claim or adopt the pending record (write-ahead). */
    PREPARE("prepare"),
    /** Log in with Vault's current value, for a system not heard from lately: nothing is written if it does not answer. */
    PRECHECK("prepare"),
    /** Put the pending value in force downstream. */
    SET("set"),
    /** Log in with it. */
    TEST("test"),
    /** Breach rotations: end the user's live sessions, once the new value works. */
    END_SESSIONS("set"),
    /** A value that does not log in: Vault's current value set again. */
    PUT_BACK("set"),
    /** The rotation record in the secret's custom metadata, just before the commit it names. */
    RECORD("commit"),
    /** The value becomes the secret's next version (check-and-set on the version read). */
    COMMIT("commit"),
    /** The pending record is replaced by a tombstone (check-and-set on its version). */
    CLEANUP("commit"),
    /** Targets that keep replaced values (API keys): the replaced value is revoked. */
    RETIRE("commit"),
    /** Breach rotations with the alternating strategy: the previously active user gets a random value kept nowhere. */
    SCRAMBLE("set"),
    /** Done: the commit goes back to the consumer, which reports it. */
    REPORT("commit");

    private final String eventName;

    Step(String eventName) {
        this.eventName = eventName;
    }

    /** The step as {@code rotation-failed} names it. */
    public String eventName() {
        return eventName;
    }
}
