package dev.rekey.notifier.campaign;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the consumers treat a record whose transaction fails for a reason other than its content. */
@ConfigMapping(prefix = "notifier.campaign")
public interface CampaignConfig {

    /** Retries of a record's transaction (e.g. the database is away) before the record is dead-lettered. */
    @WithDefault("8")
    int retries();

    /** Wait before the first retry; it grows exponentially. */
    @WithDefault("250ms")
    Duration retryBackoff();

    /** Upper bound of the wait between two retries. */
    @WithDefault("15s")
    Duration maxRetryBackoff();
}
