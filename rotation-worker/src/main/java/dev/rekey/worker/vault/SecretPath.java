package dev.rekey.worker.vault;

import java.util.Objects;

/**
 * A KV v2 secret: the mount (one path segment, e.g. {@code secret}) and the path below it (e.g.
 * {@code apps/billing/db}).
 */
public record SecretPath(String mount, String path) {

    /** Where the worker keeps a credential's write-ahead pending record, below the same mount. */
    public static final String PENDING_PREFIX = "rekey-pending/";

    public SecretPath {
        mount = trimSlashes(Objects.requireNonNull(mount, "mount"));
        path = trimSlashes(Objects.requireNonNull(path, "path"));
        if (mount.isEmpty() || path.isEmpty() || mount.contains("/") || (mount + "/" + path).contains("..")) {
            throw new IllegalArgumentException("not a KV v2 secret path: " + mount + "/" + path);
        }
    }

    /** {@code mount/path}, split at the first slash: the form of {@code target.adminSecretPath}. */
    public static SecretPath parse(String mountAndPath) {
        String trimmed = trimSlashes(Objects.requireNonNull(mountAndPath, "mountAndPath"));
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a KV v2 secret path: " + mountAndPath);
        }
        return new SecretPath(trimmed.substring(0, slash), trimmed.substring(slash + 1));
    }

    /** The pending record of this secret: {@code <mount>/rekey-pending/<path>}. */
    public SecretPath pending() {
        return new SecretPath(mount, PENDING_PREFIX + path);
    }

    /** {@code mount/path}, the form the Vault driver takes. */
    public String logical() {
        return mount + "/" + path;
    }

    @Override
    public String toString() {
        return logical();
    }

    private static String trimSlashes(String value) {
        return value.trim().replaceAll("^/+|/+$", "");
    }
}
