package dev.rekey.devstack.vault;

import dev.rekey.devstack.vault.AclPolicy.PathRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies of one token merged into one access list, and the check of a request against it, as Vault's
 * {@code acl.go} does it:
 * <ul>
 *   <li>The same path in several policies: capabilities are added up, and {@code deny} replaces them all.</li>
 *   <li>An exact rule for the path wins; for LIST also an exact rule without the trailing slash.</li>
 *   <li>Otherwise, of the longest matching glob prefix and every matching {@code +} rule the highest priority wins:
 *   the first {@code +} or {@code *} later in the path; then not a glob; then fewer {@code +}; then longer; then
 *   lexically greater.</li>
 *   <li>No matching rule: denied.</li>
 * </ul>
 * Immutable and thread-safe.
 */
final class Acl {

    /** What a token may do on one path. */
    record Decision(boolean allowed, boolean sudo) {
    }

    private static final Decision DENIED = new Decision(false, false);

    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> prefix = new HashMap<>();
    private final Map<String, Integer> segmentWildcards = new HashMap<>();

    Acl(List<AclPolicy> policies) {
        for (AclPolicy policy : policies) {
            for (PathRule rule : policy.rules()) {
                if (rule.segmentWildcards()) {
                    merge(segmentWildcards, rule.pattern(), rule.capabilities());
                } else if (rule.prefix()) {
                    merge(prefix, rule.stem(), rule.capabilities());
                } else {
                    merge(exact, rule.pattern(), rule.capabilities());
                }
            }
        }
    }

    private static void merge(Map<String, Integer> rules, String path, int capabilities) {
        rules.merge(path, capabilities, (existing, added) -> {
            if (Capability.DENY.in(existing) || Capability.DENY.in(added)) {
                return Capability.DENY.bit();
            }
            return existing | added;
        });
    }

    /**
     * @param path the request path below {@code /v1/}; a LIST path ends in {@code /}, as Vault's HTTP layer makes it
     */
    Decision check(String path, Capability needed) {
        Integer bits = capabilities(path, needed == Capability.LIST);
        if (bits == null || Capability.DENY.in(bits)) {
            return DENIED;
        }
        return new Decision(needed.in(bits), Capability.SUDO.in(bits));
    }

    private Integer capabilities(String path, boolean list) {
        Integer bits = exact.get(path);
        if (bits != null) {
            return bits;
        }
        String withoutSlash = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (list) {
            bits = exact.get(withoutSlash);
            if (bits != null) {
                return bits;
            }
            if (path.endsWith("/")) {
                bits = nonExact(withoutSlash);
                if (bits != null) {
                    return bits;
                }
            }
        }
        return nonExact(path);
    }

    /** One candidate rule: where its first wildcard or glob is, whether it is a glob, how many {@code +}. */
    private record Candidate(int firstWildcard, boolean glob, int wildcards, String stem, int capabilities) {
    }

    /** Higher priority compares greater; Vault sorts with the reverse of each "is lower priority" rule. */
    private static final Comparator<Candidate> PRIORITY = Comparator
            .comparingInt(Candidate::firstWildcard)
            .thenComparing(Candidate::glob, Comparator.reverseOrder())
            .thenComparing(Candidate::wildcards, Comparator.reverseOrder())
            .thenComparingInt(c -> c.stem().length())
            .thenComparing(Candidate::stem);

    private Integer nonExact(String path) {
        List<Candidate> candidates = new ArrayList<>();
        String longest = null;
        for (String stem : prefix.keySet()) {
            if (path.startsWith(stem) && (longest == null || stem.length() > longest.length())) {
                longest = stem;
            }
        }
        if (longest != null) {
            if (segmentWildcards.isEmpty()) {
                return prefix.get(longest);
            }
            candidates.add(new Candidate(longest.length(), true, 0, longest, prefix.get(longest)));
        }
        String[] parts = path.split("/", -1);
        segmentWildcards.forEach((pattern, bits) -> {
            Candidate candidate = matchSegments(pattern, parts, bits);
            if (candidate != null) {
                candidates.add(candidate);
            }
        });
        return candidates.stream().max(PRIORITY).map(Candidate::capabilities).orElse(null);
    }

    /** Vault's segment matching: {@code +} takes one whole segment; a trailing {@code *} a prefix of the last. */
    private static Candidate matchSegments(String pattern, String[] parts, int bits) {
        boolean glob = pattern.endsWith("*");
        String stem = glob ? pattern.substring(0, pattern.length() - 1) : pattern;
        String[] ruleParts = stem.split("/", -1);
        if (parts.length < ruleParts.length || (!glob && ruleParts.length != parts.length)) {
            return null;
        }
        int wildcards = 0;
        for (int i = 0; i < ruleParts.length; i++) {
            String rulePart = ruleParts[i];
            if (rulePart.equals("+")) {
                wildcards++;
            } else if (!rulePart.equals(parts[i])
                    && !(glob && i == ruleParts.length - 1 && parts[i].startsWith(rulePart))) {
                return null;
            }
        }
        return new Candidate(pattern.indexOf('+'), glob, wildcards, stem, bits);
    }
}
