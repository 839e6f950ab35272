package dev.rekey.inventory.campaign.rest;

import dev.rekey.events.BreachSelector;
import dev.rekey.inventory.campaign.CampaignProgress;
import dev.rekey.inventory.campaign.domain.Breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A breach campaign and its progress.
 *
 * @param status    RUNNING while a credential is PENDING or RETRYING, then COMPLETED (whatever failed: see
 *                  {@code failed})
 * @param pending   credentials not finished, with no failed attempt
 * @param retrying  credentials not finished, with at least one failed attempt the worker tries again
 * @param retries   the retry passes, oldest first: who asked, when, how many failed credentials they rotated again
 * @param startedAt when the rotations were requested (the campaign starts when the breach is reported)
 */
public record BreachView(UUID id, String title, String reason, BreachSelector selector, String reportedBy,
                         Instant reportedAt, Instant completedAt, String status, int total, long rotated, long failed,
                         long retrying, long pending, List<CampaignProgress.Retry> retries, Instant startedAt) {

    /** While a credential of the campaign is unfinished. */
    public static final String RUNNING = "RUNNING";
    /** Every credential is ROTATED or FAILED. */
    public static final String COMPLETED = "COMPLETED";

    static BreachView of(CampaignProgress.Campaign campaign) {
        Breach breach = campaign.breach();
        CampaignProgress.Counts counts = campaign.counts();
        return new BreachView(breach.id, breach.title, breach.reason, breach.selector, breach.reportedBy,
                breach.reportedAt, breach.completedAt, breach.completedAt == null ? RUNNING : COMPLETED, breach.total,
                counts.rotated(), counts.failed(), counts.retrying(), counts.pending(), campaign.retries(),
                breach.reportedAt);
    }
}
