package dev.rekey.events;

/** Kafka topic names of the rekey event contract. Services and tests use these constants, never literals. */
public final class Topics {

    /** A breach was reported; its blast radius and the owners concerned. Keyed by breach id. */
    public static final String BREACH_REPORTED = "rekey.breach-reported";
    /** Scheduled rotations. Keyed by credential id. */
    public static final String ROTATION_DUE = "rekey.rotation-due";
    /** Breach and manual rotations, so that they never wait behind a backlog of scheduled ones. */
    public static final String ROTATION_DUE_URGENT = "rekey.rotation-due.urgent";
    /** A credential has a new, verified value in Vault. Keyed by credential id. */
    public static final String SECRET_ROTATED = "rekey.secret-rotated";
    /** A rotation did not complete. Keyed by credential id. */
    public static final String ROTATION_FAILED = "rekey.rotation-failed";

    /** Every topic of the contract, for tools that create them up front. */
    public static final java.util.List<String> ALL = java.util.List.of(
            BREACH_REPORTED, ROTATION_DUE, ROTATION_DUE_URGENT, SECRET_ROTATED, ROTATION_FAILED);

    /** Where a consumer of {@code topic} parks records it cannot process. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
