package dev.rekey.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The one grammar of generator policies ({@code RotationDue.policy.generator}, a credential's
 * {@code rotationPolicy.generator}): the inventory refuses a policy at registration with the same rules the worker
 * applies when it generates.
 *
 * <pre>
 * generator = "password" [ ":" length ] [ ";classes=" class *( "," class ) ] [ ";exclude=" 1*char ]
 * length    = 16..256 (default 32)
 * class     = "lower" / "upper" / "digit" / "symbol"   (default lower,upper,digit)
 * char      = any printable ASCII character but space; "exclude" comes last and takes the rest of the text
 * </pre>
 *
 * <p>{@code symbol} is {@code - . _ ~}: the characters that need no escaping in a connection URL (user info and
 * query), a SQL literal, a Redis ACL rule or a properties file. Every class is therefore safe for every target
 * type, which is why no target needs a policy of its own: the default, {@code password:32}, carries 190 bits. A
 * policy must keep at least one character of each class it names after the exclusions and give at least
 * {@value #MIN_BITS} bits; every generated value holds at least one character of each class.
 */
public record GeneratorPolicy(int length, Set<CharacterClass> classes, String excluded) {

    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;
    public static final int DEFAULT_LENGTH = 32;
    /** The least entropy a policy may give, in bits. */
    public static final int MIN_BITS = 128;
    /** The policy of credentials registered without one. */
    public static final GeneratorPolicy DEFAULT = new GeneratorPolicy(DEFAULT_LENGTH,
            EnumSet.of(CharacterClass.LOWER, CharacterClass.UPPER, CharacterClass.DIGIT), "");

    private static final String PREFIX = "password";

    /** A class of characters a policy may draw from. */
    public enum CharacterClass {
        LOWER("abcdefghijklmnopqrstuvwxyz"),
        UPPER("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        DIGIT("0123456789"),
        SYMBOL("-._~");

        private final String characters;

        CharacterClass(String characters) {
            this.characters = characters;
        }

        public String characters() {
            return characters;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The policy text does not follow the grammar or breaks a rule; the message says which, never more. */
    public static final class InvalidPolicyException extends IllegalArgumentException {

        InvalidPolicyException(String message) {
            super(message);
        }
    }

    public GeneratorPolicy {
        classes = Collections.unmodifiableSet(classes.isEmpty() ? EnumSet.noneOf(CharacterClass.class)
                : EnumSet.copyOf(classes));
        excluded = excluded == null ? "" : excluded;
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidPolicyException("length must be between " + MIN_LENGTH + " and " + MAX_LENGTH);
        }
        if (classes.isEmpty()) {
            throw new InvalidPolicyException("at least one character class is required");
        }
        for (char c : excluded.toCharArray()) {
            if (c <= ' ' || c > '~') {
                throw new InvalidPolicyException("excluded characters must be printable ASCII other than space");
            }
        }
        for (CharacterClass cc : classes) {
            if (remaining(cc, excluded).isEmpty()) {
                throw new InvalidPolicyException("the exclusions leave no character of class " + cc.wireName());
            }
        }
        double bits = length * (Math.log(alphabet(classes, excluded).length()) / Math.log(2));
        if (bits < MIN_BITS) {
            throw new InvalidPolicyException("the policy gives " + (int) bits + " bits, at least " + MIN_BITS
                    + " are required (use more characters or more classes)");
        }
    }

    /**
     * Reads a policy text.
     *
     * @throws InvalidPolicyException naming what is wrong
     */
    public static GeneratorPolicy parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidPolicyException("a generator policy is required");
        }
        if (!text.startsWith(PREFIX)) {
            throw new InvalidPolicyException("a generator policy starts with 'password'");
        }
        String rest = text.substring(PREFIX.length());
        String excluded = "";
        int exclude = rest.indexOf(";exclude=");
        if (exclude >= 0) {
            excluded = rest.substring(exclude + ";exclude=".length());
            rest = rest.substring(0, exclude);
            if (excluded.isEmpty()) {
                throw new InvalidPolicyException("'exclude=' names no character");
            }
        }
        int length = DEFAULT_LENGTH;
        Set<CharacterClass> classes = DEFAULT.classes();
        String[] parts = rest.split(";", -1);
        if (!parts[0].isEmpty()) {
            length = lengthOf(parts[0]);
        }
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].startsWith("classes=") || i > 1) {
                throw new InvalidPolicyException("unknown option; expected ';classes=' or ';exclude=' (last)");
            }
            classes = classesOf(parts[i].substring("classes=".length()));
        }
        return new GeneratorPolicy(length, classes, excluded);
    }

    /** Whether {@code text} is a valid policy. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidPolicyException e) {
            return false;
        }
    }

    /** Every character a value may hold, in a fixed order. */
    public String alphabet() {
        return alphabet(classes, excluded);
    }

    /**
     * A new value: {@code length} characters drawn uniformly from the alphabet, drawn again until it holds a
     * character of every class (rejection sampling, so that the draw stays uniform over the accepted values).
     * Callers pass a {@link java.security.SecureRandom}.
     */
    public char[] generate(RandomGenerator random) {
        String alphabet = alphabet();
        char[] value = new char[length];
        do {
            for (int i = 0; i < length; i++) {
                value[i] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
        } while (!holdsEveryClass(value));
        return value;
    }

    /** Whether {@code value} could have come from this policy: only alphabet characters, and the right length. */
    public boolean admits(CharSequence value) {
        if (value.length() != length) {
            return false;
        }
        String alphabet = alphabet();
        return value.chars().allMatch(c -> alphabet.indexOf(c) >= 0);
    }

    /** The canonical text: {@code password:32} for the default classes, options only where they differ. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(PREFIX).append(':').append(length);
        if (!classes.equals(DEFAULT.classes())) {
            text.append(";classes=").append(classes.stream().map(CharacterClass::wireName)
                    .collect(Collectors.joining(",")));
        }
        if (!excluded.isEmpty()) {
            text.append(";exclude=").append(excluded);
        }
        return text.toString();
    }

    private boolean holdsEveryClass(char[] value) {
        for (CharacterClass cc : classes) {
            String allowed = remaining(cc, excluded);
            boolean found = false;
            for (char c : value) {
                if (allowed.indexOf(c) >= 0) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static int lengthOf(String part) {
        if (!part.matches(":[0-9]{1,4}")) {
            throw new InvalidPolicyException("expected password:<length>");
        }
        return Integer.parseInt(part.substring(1));
    }

    private static Set<CharacterClass> classesOf(String list) {
        Set<CharacterClass> classes = EnumSet.noneOf(CharacterClass.class);
        List<String> names = new ArrayList<>(List.of(list.split(",", -1)));
        for (String name : names) {
            CharacterClass cc = null;
            for (CharacterClass candidate : CharacterClass.values()) {
                if (candidate.wireName().equals(name)) {
                    cc = candidate;
                }
            }
            if (cc == null) {
                throw new InvalidPolicyException("unknown character class; expected lower, upper, digit or symbol");
            }
            if (!classes.add(cc)) {
                throw new InvalidPolicyException("a character class is named twice");
            }
        }
        return classes;
    }

    private static String remaining(CharacterClass cc, String excluded) {
        StringBuilder kept = new StringBuilder();
        for (char c : cc.characters().toCharArray()) {
            if (excluded.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static String alphabet(Set<CharacterClass> classes, String excluded) {
        StringBuilder alphabet = new StringBuilder();
        for (CharacterClass cc : CharacterClass.values()) {
            if (classes.contains(cc)) {
                alphabet.append(remaining(cc, excluded));
            }
        }
        return alphabet.toString();
    }
}
