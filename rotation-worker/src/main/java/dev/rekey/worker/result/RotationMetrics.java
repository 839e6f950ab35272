package dev.rekey.worker.result;

import dev.rekey.events.RotationDue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The worker's metrics, as Prometheus scrapes them (NAMES.md): {@code rekey_rotations_total{target,cause,outcome}}
 * (outcome rotated, replayed, failed, retrying), {@code rekey_rotation_duration_seconds{target,cause}} (a
 * histogram, from receipt to commit), {@code rekey_rotations_in_flight{target}},
 * {@code rekey_rotations_waiting{system}}.
 */
@ApplicationScoped
public class RotationMetrics {

    public enum Outcome { ROTATED, REPLAYED, FAILED, RETRYING }

    private final MeterRegistry registry;
    private final Set<String> targetGauges = ConcurrentHashMap.newKeySet();
    private final Set<String> systemGauges = ConcurrentHashMap.newKeySet();

    public RotationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void outcome(RotationDue due, Outcome outcome) {
        Counter.builder("rekey.rotations")
                .description("Rotation runs by target type, cause and outcome")
                .tag("target", due.target().type())
                .tag("cause", due.cause().type().name())
                .tag("outcome", outcome.name().toLowerCase())
                .register(registry)
                .increment();
    }

    public void duration(RotationDue due, long millis) {
        Timer.builder("rekey.rotation.duration")
                .description("From the worker receiving a rotation to its commit in Vault")
                .tag("target", due.target().type())
                .tag("cause", due.cause().type().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(Duration.ofMillis(millis));
    }

    /** Registers the in-flight gauge of a target type once. */
    public void inFlightOf(String targetType, ToIntFunction<String> running) {
        if (targetGauges.add(targetType)) {
            Gauge.builder("rekey.rotations.in.flight", () -> running.applyAsInt(targetType))
                    .description("Rotations running now on this worker")
                    .tag("target", targetType)
                    .register(registry);
        }
    }

    /** Registers the waiting gauge of a system once. */
    public void waitingOf(String systemId, ToIntFunction<String> waiting) {
        if (systemGauges.add(systemId)) {
            Gauge.builder("rekey.rotations.waiting", () -> waiting.applyAsInt(systemId))
                    .description("Rotations of a system waiting on this worker for a slot, a lease or their retry time")
                    .tag("system", systemId)
                    .register(registry);
        }
    }
}
