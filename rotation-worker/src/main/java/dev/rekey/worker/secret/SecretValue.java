package dev.rekey.worker.secret;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value (a password). It never prints itself, so that it cannot leak into a log line or an exception
 * message by accident; {@link #reveal()} is called only where the value goes to Vault or to the downstream.
 */
public final class SecretValue {

    private final String value;

    private SecretValue(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static SecretValue of(String value) {
        return new SecretValue(value);
    }

    /** The value itself, for Vault and the downstream system only. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        // constant time, as for any secret comparison
        return other instanceof SecretValue that && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // never derived from the value; secrets are not meant to be hash keys
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
