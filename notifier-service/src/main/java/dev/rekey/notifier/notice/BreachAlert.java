package dev.rekey.notifier.notice;

import java.time.Instant;
import java.util.UUID;

/**
 * Told to an owner when a breach that concerns some of their credentials is reported: what happened, how many of
 * theirs are being rotated, what to expect. It names no credential and no other owner.
 *
 * @param count how many of this owner's credentials are in the blast radius
 */
public record BreachAlert(UUID breachId, String title, String reason, String reportedBy, Instant reportedAt,
                          String ownerId, int count) implements Notice {

    public BreachAlert {
        title = Text.line(title, 200);
        reason = Text.line(reason, 500);
        reportedBy = Text.line(reportedBy, 100);
        ownerId = Text.line(ownerId, 100);
    }

    @Override
    public String kind() {
        return "breach-alert";
    }

    @Override
    public String subject() {
        return "[rekey] Breach reported: " + Text.line(title, 120) + " — " + credentials() + " of yours will be rotated";
    }

    @Override
    public Instant eventAt() {
        return reportedAt;
    }

    /** "1 credential" or "N credentials". */
    public String credentials() {
        return Text.credentials(count);
    }
}
