package dev.rekey.inventory.api;

/** The form of Vault references in requests: mounts, paths below them, and {@code mount/path} pairs. */
public final class VaultPaths {

    /** One name of a path; never {@code .} or {@code ..}, which would make two paths name one secret. */
    public static final String SEGMENT = "(?!\\.\\.?(/|$))[A-Za-z0-9_.-]+";
    /** A KV mount name. */
    public static final String MOUNT = "(?!\\.\\.?$)[A-Za-z0-9_.-]{1,100}";
    /** A relative path of names below a mount, e.g. {@code apps/billing/db}. */
    public static final String PATH = SEGMENT + "(/" + SEGMENT + ")*";
    /** A mount and a path: {@code secret/rekey/owners/payments/slack}. */
    public static final String MOUNT_AND_PATH = SEGMENT + "(/" + SEGMENT + ")+";
    /** A folder below a mount: names each followed by a slash, e.g. {@code apps/}; empty for the whole mount. */
    public static final String FOLDER = "(" + SEGMENT + "/)*";
    /** The validation message of {@link #MOUNT_AND_PATH}. */
    public static final String MOUNT_AND_PATH_MESSAGE = "must be a Vault path of the form mount/path";

    private VaultPaths() {
    }
}
