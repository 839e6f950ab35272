package dev.rekey.inventory.campaign.rest;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.campaign.domain.Breach;
import dev.rekey.inventory.campaign.CampaignProgress;

import java.time.Instant;
import java.util.UUID;

/**
 * A breach campaign and its progress.
 *
 * @param status    IN_PROGRESS until no credential is pending, then COMPLETED or COMPLETED_WITH_FAILURES
 * @param startedAt when the rotations were requested (the campaign starts when the breach is reported)
 */
public record BreachView(UUID id, String title, String reason, BreachSelector selector, String reportedBy,
                         Instant reportedAt, String status, int total, long rotated, long failed, long pending,
                         Instant startedAt, Instant completedAt) {

    static BreachView of(CampaignProgress.Campaign campaign) {
        Breach breach = campaign.breach();
        CampaignProgress.Counts counts = campaign.counts();
        String status = breach.completedAt == null ? "IN_PROGRESS"
                : counts.failed() > 0 ? "COMPLETED_WITH_FAILURES" : "COMPLETED";
        return new BreachView(breach.id, breach.title, breach.reason, breach.selector, breach.reportedBy,
                breach.reportedAt, status, breach.total, counts.rotated(), counts.failed(), counts.pending(),
                breach.reportedAt, breach.completedAt);
    }
}
