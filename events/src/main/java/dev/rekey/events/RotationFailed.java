package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A rotation attempt did not complete. Topic {@link Topics#ROTATION_FAILED}, type {@link EventTypes#ROTATION_FAILED},
 * keyed by credential id.
 *
 * @param step          the protocol step that failed: prepare, set, test, commit; {@code await-result} when the
 *                      inventory gave up waiting for a word from any worker (it emits that one itself)
 * @param reason        a short human-readable reason; never a secret value and never a stack trace
 * @param attempts      how many attempts were made
 * @param finalAttempt  JSON {@code final}: no further attempt will be made for this rotation id; false means the
 *                      worker tries again later (a downstream that is down for minutes)
 * @param oldCredential what a login with the value in Vault showed: VALID, INVALID or UNKNOWN
 */
public record RotationFailed(UUID rotationId, String credentialId, String step, String reason, int attempts,
                             @JsonProperty("final") boolean finalAttempt, OldCredential oldCredential, Cause cause,
                             OwnerRef owner, Instant failedAt) {

    public RotationFailed {
        Objects.requireNonNull(rotationId, "rotationId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(oldCredential, "oldCredential");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(failedAt, "failedAt");
    }
}
