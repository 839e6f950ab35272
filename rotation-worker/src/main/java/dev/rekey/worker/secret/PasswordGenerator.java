package dev.rekey.worker.secret;

import dev.rekey.events.GeneratorPolicy;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes new values per a rotation policy's generator, in the one grammar of {@link GeneratorPolicy} (the
 * inventory refuses at registration what this refuses here), drawing from {@link SecureRandom}. Every character
 * class of the grammar is safe for every target type by construction (see {@link GeneratorPolicy}), so no target
 * needs a policy of its own; targets still quote or hash whatever value they are given.
 */
@ApplicationScoped
public class PasswordGenerator {

    private final SecureRandom random = new SecureRandom();

    /**
     * @throws UnsupportedPolicyException when the policy does not follow the grammar, with the policy's own reason;
     *                                    retrying will not help
     */
    public SecretValue generate(String generator) {
        char[] chars = policy(generator).generate(random);
        try {
            return SecretValue.of(new String(chars));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The policy of {@code generator}, or an {@link UnsupportedPolicyException} with the grammar's reason. */
    public static GeneratorPolicy policy(String generator) {
        try {
            return GeneratorPolicy.parse(generator);
        } catch (GeneratorPolicy.InvalidPolicyException e) {
            throw new UnsupportedPolicyException("invalid generator policy: " + e.getMessage());
        }
    }

    /**
     * Whether {@code value} could have come from the default policy's alphabet (letters and digits).
     *
     * @deprecated targets quote or hash every value, so no step needs to know where a value came from; use
     * {@link GeneratorPolicy#admits} with the rotation's policy where the question still matters
     */
    @Deprecated(forRemoval = true)
    public static boolean isAlphanumeric(SecretValue value) {
        String text = value.reveal();
        return !text.isEmpty() && text.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    /** The policy cannot be satisfied; retrying will not help. The message is the grammar's reason. */
    public static class UnsupportedPolicyException extends RuntimeException {

        public UnsupportedPolicyException(String message) {
            super(message);
        }
    }
}
