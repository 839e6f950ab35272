package dev.rekey.inventory.api;

/** The form of Vault references in requests: mounts, paths below them, and {@code mount/path} pairs. */
public final class VaultPaths {

    /** A KV mount name. */
    public static final String MOUNT = "[A-Za-z0-9_.-]{1,100}";
    /** A relative path of names below a mount, e.g. {@code apps/billing/db}. */
    public static final String PATH = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*";
    /** A mount and a path: {@code secret/rekey/owners/payments/slack}. */
    public static final String MOUNT_AND_PATH = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+";
    /** The validation message of {@link #MOUNT_AND_PATH}. */
    public static final String MOUNT_AND_PATH_MESSAGE = "must be a Vault path of the form mount/path";

    private VaultPaths() {
    }
}
