package dev.rekey.inventory.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit log entry.
 *
 * @param action    e.g. {@code credential.updated}
 * @param fields    the fields the request set (names only, never values)
 * @param requestId the {@code X-Request-Id} of the request that made the change
 */
public record AuditEntryView(long id, Instant at, String actor, List<String> actorRoles, String action,
                             String objectType, String objectId, String requestId, List<String> fields,
                             String detail) {
}
