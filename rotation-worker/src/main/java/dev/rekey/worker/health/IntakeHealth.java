package dev.rekey.worker.health;

import dev.rekey.worker.intake.RotationIntake;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The rotation-due consumer. Ready when it consumes; DOWN with the reason otherwise, e.g. when the three
 * rotation-due topics differ in partition count (the per-system bound would not hold across the group).
 */
@ApplicationScoped
public class IntakeHealth {

    /** A consumer loop that has not polled for this long is stuck. */
    private static final long STUCK_AFTER_MS = 60_000;

    private final RotationIntake intake;

    public IntakeHealth(RotationIntake intake) {
        this.intake = intake;
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            String reason = intake.state().downReason();
            var response = HealthCheckResponse.named("rotation-due consumer").status(reason == null)
                    .withData("assignedPartitions", intake.state().assignedPartitions());
            return (reason == null ? response : response.withData("reason", reason)).build();
        };
    }

    @Liveness
    HealthCheck alive() {
        return () -> {
            long since = intake.state().sinceLastPollMs();
            boolean polling = intake.state().downReason() != null || since < STUCK_AFTER_MS;
            return HealthCheckResponse.named("rotation-due consumer loop").status(polling)
                    .withData("sinceLastPollMs", since).build();
        };
    }
}
