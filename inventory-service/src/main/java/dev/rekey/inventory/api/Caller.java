package dev.rekey.inventory.api;

import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as far as object-level access goes: roles are checked by {@code @RolesAllowed}, this decides
 * which objects an owner-only caller may see.
 *
 * @param subject   the JWT's {@code sub}
 * @param ownerOnly the caller holds the owner role and no role that sees every owner's objects
 */
public record Caller(String subject, boolean ownerOnly) {

    public static Caller of(SecurityContext context) {
        String subject = context.getUserPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : context.getUserPrincipal().getName();
        boolean seesAll = context.isUserInRole(Roles.ADMIN) || context.isUserInRole(Roles.INCIDENT_COMMANDER)
                || context.isUserInRole(Roles.AUDITOR);
        return new Caller(subject, !seesAll && context.isUserInRole(Roles.OWNER));
    }

    /** Whether the caller may see objects of this owner. */
    public boolean maySee(String ownerId) {
        return !ownerOnly || subject.equals(ownerId);
    }
}
