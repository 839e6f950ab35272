package dev.rekey.notifier.campaign;

/**
 * Incoming channel names; application.properties maps each to its topic in {@link dev.rekey.events.Topics} and to
 * that topic's dead-letter queue.
 */
public final class Channels {

    public static final String BREACH_REPORTED = "breach-reported";
    public static final String SECRET_ROTATED = "secret-rotated";
    public static final String ROTATION_FAILED = "rotation-failed";

    private Channels() {
    }
}
