package dev.rekey.events;

import java.util.List;

/** Kafka topic names of the rekey event contract. Services and tests use these constants, never literals. */
public final class Topics {

    /** A breach was reported; its blast radius and the owners concerned. Keyed by breach id. */
    public static final String BREACH_REPORTED = "rekey.breach-reported";
    /**
     * Scheduled rotations. Keyed by system id, unlike the other topics: every rotation of one downstream system lands
     * on one partition, and the worker consumes the partitions of the same number of all three rotation-due topics
     * together, so one worker process holds all of a system's rotations at a time and its local bound is the bound
     * of the whole consumer group. One credential's requests stay in order, as its system does not change under it.
     */
    public static final String ROTATION_DUE = "rekey.rotation-due";
    /** Breach and manual rotations, so that they never wait behind a backlog of scheduled ones. Keyed by system id. */
    public static final String ROTATION_DUE_URGENT = "rekey.rotation-due.urgent";
    /**
     * The worker's own delayed retries: a rotation-due whose downstream or Vault did not answer, republished by the
     * worker with the time it is due again, so that it waits without holding a thread. Keyed by system id. Needs the
     * same number of partitions as the other two rotation-due topics.
     */
    public static final String ROTATION_DUE_RETRY = "rekey.rotation-due.retry";
    /** A credential has a new, verified value in Vault. Keyed by credential id. */
    public static final String SECRET_ROTATED = "rekey.secret-rotated";
    /** A rotation did not complete. Keyed by credential id. */
    public static final String ROTATION_FAILED = "rekey.rotation-failed";
    /** Every owner's latest state (compacted); a tombstone when an owner is deleted. Keyed by owner id. */
    public static final String OWNERS = "rekey.owners";

    /** The three topics the worker consumes together; they must have the same number of partitions. */
    public static final List<String> ROTATION_DUE_ALL = List.of(ROTATION_DUE_URGENT, ROTATION_DUE, ROTATION_DUE_RETRY);

    /** Topics that must be created with {@code cleanup.policy=compact}. */
    public static final List<String> COMPACTED = List.of(OWNERS);

    /** Every topic of the contract, for tools that create them up front. */
    public static final List<String> ALL = List.of(BREACH_REPORTED, ROTATION_DUE, ROTATION_DUE_URGENT,
            ROTATION_DUE_RETRY, SECRET_ROTATED, ROTATION_FAILED, OWNERS);

    /** Where a consumer of {@code topic} parks records it cannot process. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
