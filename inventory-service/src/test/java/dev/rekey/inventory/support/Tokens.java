package dev.rekey.inventory.support;

import dev.rekey.devstack.testing.DevJwtResource;

import java.util.List;

/** Bearer tokens for each role, signed with this test JVM's key that the service trusts (issuer, JWKS, audience). */
public final class Tokens {

    private static final long TTL_SECONDS = 3600;

    private Tokens() {
    }

    public static String admin() {
        return issue("test-admin", "admin");
    }

    public static String incidentCommander() {
        return issue("test-ic", "incident-commander");
    }

    public static String auditor() {
        return issue("test-auditor", "auditor");
    }

    public static String owner(String ownerId) {
        return issue(ownerId, "owner");
    }

    /** A token of {@code subject} with one role. */
    public static String issue(String subject, String role) {
        return DevJwtResource.tokens().issue(subject, List.of(role), TTL_SECONDS);
    }
}
