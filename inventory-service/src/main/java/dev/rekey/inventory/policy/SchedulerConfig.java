package dev.rekey.inventory.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the rotation policy scheduler paces the routine rotations it requests ({@code rekey.scheduler.*}). */
@ConfigMapping(prefix = "rekey.scheduler")
public interface SchedulerConfig {

    /** Whether this instance runs the scheduler at all (every instance may: they never emit twice). */
    @WithDefault("true")
    boolean enabled();

    /** How often the scheduler looks for due credentials; also the property {@code rekey.scheduler.interval}. */
    @WithDefault("10s")
    Duration interval();

    /** At most this many rotation-due events per tick. */
    @WithDefault("100")
    int batchSize();

    /**
     * At most this many scheduled rotations without a result yet (across all instances): a tick requests only what
     * fits under it, so a backlog of due credentials reaches the workers in waves instead of at once.
     */
    @WithDefault("200")
    int maxInFlight();

    /**
     * A scheduled rotation without a result after this long no longer counts as in flight (a lost request must not
     * hold its slot forever). It is not requested again in the same period.
     */
    @WithDefault("1h")
    Duration inFlightTimeout();
}
