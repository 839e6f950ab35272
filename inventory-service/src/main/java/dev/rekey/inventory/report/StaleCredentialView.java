package dev.rekey.inventory.report;

import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A credential of the stale report and why it is there.
 *
 * @param reasons {@code UNOWNED} (nobody claimed it), {@code NEVER_ROTATED} (rekey never rotated it),
 *                {@code OVERDUE} (its last rotation is older than its policy's maximum age)
 * @param dueAt   when its policy wanted the next rotation; null when it was never rotated
 */
public record StaleCredentialView(String id, String name, String ownerId, String systemId, String vaultMount,
                                  String vaultPath, CredentialStatus status, Instant lastRotatedAt, int maxAgeDays,
                                  Instant dueAt, List<String> reasons) {

    static StaleCredentialView of(Credential c, Instant now) {
        List<String> reasons = new ArrayList<>();
        Instant dueAt = c.lastRotatedAt == null ? null : c.lastRotatedAt.plus(Duration.ofDays(c.maxAgeDays));
        if (c.ownerId == null) {
            reasons.add("UNOWNED");
        }
        if (c.lastRotatedAt == null) {
            reasons.add("NEVER_ROTATED");
        } else if (dueAt.isBefore(now)) {
            reasons.add("OVERDUE");
        }
        return new StaleCredentialView(c.id, c.name, c.ownerId, c.systemId, c.vaultMount, c.vaultPath, c.status,
                c.lastRotatedAt, c.maxAgeDays, dueAt, reasons);
    }
}
