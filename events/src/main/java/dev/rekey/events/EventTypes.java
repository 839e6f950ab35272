package dev.rekey.events;

/** CloudEvents {@code type} attributes of the rekey event contract, and the {@code source} of each emitter. */
public final class EventTypes {

    public static final String BREACH_REPORTED = "dev.rekey.breach.reported.v1";
    public static final String ROTATION_DUE = "dev.rekey.rotation.due.v1";
    public static final String SECRET_ROTATED = "dev.rekey.secret.rotated.v1";
    public static final String ROTATION_FAILED = "dev.rekey.rotation.failed.v1";
    public static final String OWNER_CHANGED = "dev.rekey.owner.changed.v1";

    /** {@code ce_source} of events emitted by the inventory service. */
    public static final String SOURCE_INVENTORY = "rekey/inventory-service";
    /** {@code ce_source} of events emitted by the rotation worker. */
    public static final String SOURCE_WORKER = "rekey/rotation-worker";

    /** The data content type of every rekey event. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    private EventTypes() {
    }
}
