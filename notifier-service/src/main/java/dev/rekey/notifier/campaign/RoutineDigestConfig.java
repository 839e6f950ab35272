package dev.rekey.notifier.campaign;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The periodic digest of scheduled and manual rotations. */
@ConfigMapping(prefix = "notifier.routine-digest")
public interface RoutineDigestConfig {

    /** One digest per owner per period; periods are aligned to the epoch in UTC (a day: from 00:00 UTC). */
    @WithDefault("24h")
    Duration period();

    /** How often the notifier looks for periods that ended with outcomes not yet reported. */
    @WithDefault("1m")
    Duration checkInterval();
}
