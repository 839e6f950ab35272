package dev.rekey.client;

import dev.rekey.events.Ids;

import java.util.Objects;

/**
 * A credential the application uses: its rekey id and the Vault KV v2 secret that holds it. Events name the same
 * mount and path; the client only ever reads the path given here, so the application's Vault policy needs nothing
 * else.
 *
 * @param credentialId  the rekey credential id (the key of its {@code secret-rotated} events)
 * @param vaultMount    the KV v2 mount, e.g. {@code secret}
 * @param vaultPath     the secret's path below the mount, e.g. {@code apps/orders/db}
 * @param usernameField the secret's field with the downstream user ({@code username} for rekey-managed secrets)
 * @param secretField   the secret's field with the value ({@code password} for rekey-managed secrets)
 */
public record WatchedCredential(String credentialId, String vaultMount, String vaultPath, String usernameField,
                                String secretField) {

    public static final String DEFAULT_USERNAME_FIELD = "username";
    public static final String DEFAULT_SECRET_FIELD = "password";

    public WatchedCredential {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(vaultMount, "vaultMount");
        Objects.requireNonNull(vaultPath, "vaultPath");
        Objects.requireNonNull(usernameField, "usernameField");
        Objects.requireNonNull(secretField, "secretField");
        if (!Ids.isValid(credentialId)) {
            throw new IllegalArgumentException("credentialId " + Ids.MESSAGE);
        }
        vaultMount = trimSlashes(vaultMount);
        vaultPath = trimSlashes(vaultPath);
        if (vaultMount.isEmpty() || vaultPath.isEmpty()) {
            throw new IllegalArgumentException("vaultMount and vaultPath must not be empty");
        }
        if ((vaultMount + "/" + vaultPath).contains("..") || (vaultMount + vaultPath).contains("?")) {
            throw new IllegalArgumentException("vaultMount and vaultPath must not contain '..' or '?'");
        }
    }

    /** A rekey-managed secret: fields {@code username} and {@code password}. */
    public WatchedCredential(String credentialId, String vaultMount, String vaultPath) {
        this(credentialId, vaultMount, vaultPath, DEFAULT_USERNAME_FIELD, DEFAULT_SECRET_FIELD);
    }

    /** {@code mount/path}, as in log lines and policies. */
    public String location() {
        return vaultMount + "/" + vaultPath;
    }

    private static String trimSlashes(String s) {
        String t = s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
