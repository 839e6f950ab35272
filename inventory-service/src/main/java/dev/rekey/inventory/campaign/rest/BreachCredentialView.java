package dev.rekey.inventory.campaign.rest;

import dev.rekey.inventory.campaign.domain.BreachCredential;
import dev.rekey.inventory.campaign.domain.BreachCredentialStatus;

import java.time.Instant;
import java.util.UUID;

/**
 * One credential's state in a campaign.
 *
 * @param rotationId the rotation whose results decide this row: its own, or the one it joined
 * @param joined     true when the credential was already being rotated (by another campaign or a manual rotation)
 *                   as the campaign opened, and the campaign follows that rotation instead of starting a second one
 * @param version    the KV v2 version holding the new value, once rotated
 * @param reason     why the last attempt failed
 * @param attempts   attempts the worker made so far, as its last failure reported
 */
public record BreachCredentialView(String credentialId, String ownerId, UUID rotationId, boolean joined,
                                   BreachCredentialStatus status, Long version, String reason, int attempts,
                                   Instant updatedAt) {

    static BreachCredentialView of(BreachCredential row) {
        return new BreachCredentialView(row.credentialId, row.ownerId, row.effectiveRotationId(),
                row.followsRotationId != null, row.status, row.version, row.reason, row.attempts, row.updatedAt);
    }
}
