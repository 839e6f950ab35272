package dev.rekey.inventory.campaign;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How campaigns are closed, and when a rotation nobody reports on is given up. */
@ConfigMapping(prefix = "rekey.campaign")
public interface CampaignConfig {

    /** How often {@link CampaignCloser} completes campaigns whose last results were applied concurrently. */
    @WithDefault("1s")
    Duration closeInterval();

    /**
     * How long a claimed rotation may go without a word from a worker before {@link StaleRotations} reports it as
     * failed. Far beyond the worker's longest silence (a retry at most {@code rekey.worker.retry.max-delay}, 30 s,
     * apart; a queue of urgent requests drained at the worker's pace).
     */
    @WithDefault("1h")
    Duration rotationTimeout();

    /** How often {@link StaleRotations} looks for such rotations. */
    @WithDefault("1m")
    Duration staleCheckInterval();
}
