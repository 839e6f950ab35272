package dev.rekey.inventory.campaign.rest;

import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;

import java.time.Instant;
import java.util.UUID;

/**
 * One credential's state in a campaign.
 *
 * @param version the KV v2 version holding the new value, once rotated
 * @param reason  why the last attempt failed
 */
public record BreachCredentialView(String credentialId, String ownerId, UUID rotationId,
                                   BreachCredentialStatus status, Long version, String reason, int attempts,
                                   Instant updatedAt) {

    static BreachCredentialView of(BreachCredential row) {
        return new BreachCredentialView(row.credentialId, row.ownerId, row.rotationId, row.status, row.version,
                row.reason, row.attempts, row.updatedAt);
    }
}
