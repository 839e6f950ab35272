package dev.rekey.inventory.support;

import dev.rekey.devstack.auth.DevTokens;

import java.util.List;

/** Bearer tokens for each role, signed with the devstack key that the tests' service trusts. */
public final class Tokens {

    private static final long TTL_SECONDS = 3600;

    private Tokens() {
    }

    public static String admin() {
        return DevTokens.issue("test-admin", List.of("admin"), TTL_SECONDS);
    }

    public static String incidentCommander() {
        return DevTokens.issue("test-ic", List.of("incident-commander"), TTL_SECONDS);
    }

    public static String auditor() {
        return DevTokens.issue("test-auditor", List.of("auditor"), TTL_SECONDS);
    }

    public static String owner(String ownerId) {
        return DevTokens.issue(ownerId, List.of("owner"), TTL_SECONDS);
    }
}
