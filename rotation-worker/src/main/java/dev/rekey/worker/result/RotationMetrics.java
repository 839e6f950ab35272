package dev.rekey.worker.result;

import dev.rekey.worker.rotation.RotationOutcome;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** Prometheus metrics of rotations: {@code rekey_rotations_total{outcome,priority}} and rotation durations. */
@ApplicationScoped
public class RotationMetrics {

    @Inject
    MeterRegistry registry;

    void record(RotationOutcome outcome, boolean urgent) {
        String priority = urgent ? "urgent" : "scheduled";
        String name = outcome instanceof Failed ? "failed" : ((Rotated) outcome).replayed() ? "replayed" : "rotated";
        registry.counter("rekey.rotations", "outcome", name, "priority", priority).increment();
        if (outcome instanceof Rotated done && !done.replayed()) {
            Timer.builder("rekey.rotation.duration").tag("priority", priority)
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .register(registry)
                    .record(Duration.ofMillis(done.durationMs()));
        }
    }
}
