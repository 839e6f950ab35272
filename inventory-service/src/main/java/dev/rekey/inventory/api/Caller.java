package dev.rekey.inventory.api;

import java.util.Set;

/**
 * Who is calling and under which request id. Roles are checked by {@code @RolesAllowed}; this decides which objects
 * an owner-only caller may see and what the audit log records.
 *
 * @param subject   the caller's owner id claim ({@code sub} unless configured otherwise)
 * @param roles     the rekey roles the caller holds
 * @param requestId the request's {@code X-Request-Id}
 */
public record Caller(String subject, Set<String> roles, String requestId) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** The caller holds the owner role and no role that sees every owner's objects. */
    public boolean ownerOnly() {
        return roles.contains(Roles.OWNER)
                && !roles.contains(Roles.ADMIN) && !roles.contains(Roles.INCIDENT_COMMANDER)
                && !roles.contains(Roles.AUDITOR);
    }

    /** Whether the caller may see objects of this owner (null: an unowned object, which owners do not see). */
    public boolean maySee(String ownerId) {
        return !ownerOnly() || subject.equals(ownerId);
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }
}
