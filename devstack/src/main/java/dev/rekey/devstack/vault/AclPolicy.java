package dev.rekey.devstack.vault;

import java.util.List;

/**
 * One ACL policy as Vault compiles it from HCL: its name, the text it was written with, and its path rules.
 *
 * @param raw the policy text as written, returned by {@code GET sys/policies/acl/:name}
 */
record AclPolicy(String name, String raw, List<PathRule> rules) {

    AclPolicy {
        rules = List.copyOf(rules);
    }

    /**
     * A {@code path "…" { capabilities = […] }} statement, normalised like Vault's {@code parsePaths}: no leading
     * slash; a trailing {@code *} makes it a prefix rule; a {@code +} segment makes it a segment-wildcard rule, which
     * keeps its trailing {@code *} in {@code pattern}.
     *
     * @param pattern      the path as written, without a leading slash
     * @param capabilities the capability bits ({@link Capability#bit()}); {@code DENY} alone when denied
     */
    record PathRule(String pattern, int capabilities) {

        boolean segmentWildcards() {
            return pattern.equals("+") || pattern.contains("/+") || pattern.startsWith("+/");
        }

        boolean prefix() {
            return pattern.endsWith("*");
        }

        /** The pattern without its trailing glob. */
        String stem() {
            return prefix() ? pattern.substring(0, pattern.length() - 1) : pattern;
        }
    }
}
