package dev.rekey.notifier.notice;

import dev.rekey.events.CauseType;
import dev.rekey.events.OldCredential;

import java.time.Instant;
import java.util.UUID;

/**
 * Told at once, to the owner and to the incident channel, when a rotation failed in a way that needs a person: the
 * value in Vault no longer logs in ({@code oldCredential=INVALID}), or the worker gave up ({@code final}).
 *
 * @param breachId      the campaign, when the rotation was a breach rotation
 * @param finalAttempt  the worker gave up; false means it tries again later
 * @param oldCredential what a login with the value in Vault showed
 */
public record FailureAlert(UUID rotationId, String credentialId, String ownerId, CauseType cause, UUID breachId,
                           String step, String reason, int attempts, boolean finalAttempt,
                           OldCredential oldCredential, Instant failedAt) implements Notice {

    public FailureAlert {
        credentialId = Text.line(credentialId, 200);
        ownerId = Text.line(ownerId, 100);
        step = Text.line(step, 40);
        reason = Text.line(reason, 500);
    }

    @Override
    public String kind() {
        return "failure-alert";
    }

    @Override
    public String subject() {
        return "[rekey] URGENT: rotation of " + Text.line(credentialId, 80) + " failed — " + headline();
    }

    @Override
    public Instant eventAt() {
        return failedAt;
    }

    /** What the failure means, in a few words. */
    public String headline() {
        return switch (oldCredential) {
            case INVALID -> "the value in Vault no longer logs in";
            case UNKNOWN -> finalAttempt ? "rekey gave up and could not check the value in Vault"
                    : "the value in Vault could not be checked";
            case VALID -> "rekey gave up; the old value still works and is still exposed";
        };
    }

    public boolean lockedOut() {
        return oldCredential == OldCredential.INVALID;
    }

    public boolean breach() {
        return cause == CauseType.BREACH;
    }
}
