package dev.rekey.worker.target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A system's admin login as stored in Vault at {@code target.adminSecretPath}. It never prints its password.
 */
public record AdminLogin(String username, String password) {

    /** A digest of the login, so that a pool can tell a changed login without keeping the password itself. */
    public byte[] fingerprint() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((username + "\0" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AdminLogin[" + username + "]";
    }
}
