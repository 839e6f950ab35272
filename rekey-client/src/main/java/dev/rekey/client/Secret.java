package dev.rekey.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (a password, an API key) that never prints itself: {@link #toString()} is redacted, so a value that
 * reaches a log line, an exception message or a debugger's summary by accident shows nothing. Call {@link #reveal()}
 * only where the value is handed to the system that needs it (a JDBC driver, an HTTP header).
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value itself. */
    public String reveal() {
        return value;
    }

    /** Compares in constant time, so that a comparison does not leak how much of a value matched. */
    public boolean sameAs(Secret other) {
        return other != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
