package dev.rekey.inventory.campaign;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How campaigns are closed. */
@ConfigMapping(prefix = "rekey.campaign")
public interface CampaignConfig {

    /** How often {@link CampaignCloser} completes campaigns whose last results were applied concurrently. */
    @WithDefault("1s")
    Duration closeInterval();
}
