package dev.rekey.worker.secret;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes new passwords per a rotation policy's generator, {@code password:<length>}: letters and digits from
 * {@link SecureRandom}. Alphanumeric so that the value is safe in SQL literals, URLs and shell-quoted configuration
 * (callers still quote it); 62 symbols give 5.95 bits each, so the default 32 characters carry 190 bits.
 */
@ApplicationScoped
public class PasswordGenerator {

    static final int DEFAULT_LENGTH = 32;
    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 256;
    private static final Pattern POLICY = Pattern.compile("password(?::(\\d{1,4}))?");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SecureRandom random = new SecureRandom();

    /**
     * @throws UnsupportedPolicyException when the generator is not {@code password[:length]} with a length in
     *                                    16..256
     */
    public SecretValue generate(String generator) {
        int length = lengthOf(generator);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return SecretValue.of(new String(chars));
    }

    /** Whether {@code value} could have come from this generator: the check before it goes into SQL. */
    public static boolean isAlphanumeric(SecretValue value) {
        String text = value.reveal();
        return !text.isEmpty() && text.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    static int lengthOf(String generator) {
        Matcher matcher = POLICY.matcher(generator == null ? "" : generator.trim());
        if (!matcher.matches()) {
            throw new UnsupportedPolicyException("unsupported generator policy (expected password:<length>)");
        }
        int length = matcher.group(1) == null ? DEFAULT_LENGTH : Integer.parseInt(matcher.group(1));
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new UnsupportedPolicyException(
                    "password length must be between " + MIN_LENGTH + " and " + MAX_LENGTH);
        }
        return length;
    }

    /** The policy cannot be satisfied; retrying will not help. */
    public static class UnsupportedPolicyException extends RuntimeException {

        public UnsupportedPolicyException(String message) {
            super(message);
        }
    }
}
