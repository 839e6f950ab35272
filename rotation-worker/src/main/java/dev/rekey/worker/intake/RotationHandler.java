package dev.rekey.worker.intake;

import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.result.ResultPublisher;
import dev.rekey.worker.result.RotationMetrics;
import dev.rekey.worker.result.RotationMetrics.Outcome;
import dev.rekey.worker.rotation.RotationOutcome;
import dev.rekey.worker.rotation.RotationOutcome.Deferred;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import dev.rekey.worker.rotation.RotationProtocol;
import dev.rekey.worker.tracing.RotationSpan;
import dev.rekey.worker.tracing.RotationTracing;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one request on a pool thread and turns its outcome into records: {@code secret-rotated}; a final
 * {@code rotation-failed}; or, for a transient failure within the horizon (or beyond it while a pending value may be
 * in force), a delayed retry on {@code rekey.rotation-due.retry} together with a {@code rotation-failed} that is not
 * final. The request's offset counts as finished once those records are acknowledged by the broker; if they cannot
 * be sent, the request runs again a little later (the protocol replays what is done). Each run is a span
 * ({@link RotationTracing}); its results carry that span's {@code traceparent}, a retry record the request's own, so
 * that every attempt of a rotation hangs from the same parent.
 */
@ApplicationScoped
class RotationHandler {

    private static final Duration SEND_FAILED_RETRY = Duration.ofSeconds(5);

    private final RotationProtocol protocol;
    private final ResultPublisher publisher;
    private final RotationScheduler scheduler;
    private final RotationMetrics metrics;
    private final WorkerConfig.Retry retry;
    private final RotationTracing tracing;

    RotationHandler(RotationProtocol protocol, ResultPublisher publisher, RotationScheduler scheduler,
                    RotationMetrics metrics, WorkerConfig config, RotationTracing tracing) {
        this.tracing = tracing;
        this.protocol = protocol;
        this.publisher = publisher;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.retry = config.retry();
    }

    void handle(RotationRequest request) {
        try (RotationSpan span = tracing.start(request.due(), request.topic(), request.attempts(),
                request.traceparent())) {
            RotationOutcome outcome;
            try {
                outcome = protocol.rotate(request.due(), request.receivedNanos());
            } finally {
                scheduler.finished(request); // the slot is free while the result is on its way
            }
            span.outcome(outcome);
            report(request, outcome, span.traceparent(request.traceparent()));
        }
    }

    private void report(RotationRequest request, RotationOutcome outcome, String traceparent) {
        if (outcome instanceof Deferred deferred) {
            Log.debugf("%s waits until %s: %s", request, deferred.notBefore(), deferred.reason());
            scheduler.at(request.dueNow(), deferred.notBefore(), scheduler::submit);
            return;
        }
        CompletableFuture<Void> sent = outcome instanceof Rotated rotated ? rotated(request, rotated, traceparent)
                : failed(request, (Failed) outcome, traceparent);
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                request.progress().finished(request.offset());
            } else {
                Log.warnf("%s: its result could not be sent (%s); running it again in %s", request,
                        error.getClass().getSimpleName(), SEND_FAILED_RETRY);
                scheduler.at(request.dueNow(), Instant.now().plus(SEND_FAILED_RETRY), scheduler::submit);
            }
        });
    }

    private CompletableFuture<Void> rotated(RotationRequest request, Rotated rotated, String traceparent) {
        if (rotated.replayed()) {
            Log.infof("%s was committed before as version %d: reporting it again", request, rotated.version());
            metrics.outcome(request.due(), Outcome.REPLAYED);
        } else {
            Log.infof("%s: version %d -> %d in %d ms", request, rotated.previousVersion(), rotated.version(),
                    rotated.durationMs());
            metrics.outcome(request.due(), Outcome.ROTATED);
            metrics.duration(request.due(), rotated.durationMs());
        }
        CompletableFuture<Void> sent = publisher.rotated(request.due(), rotated, traceparent);
        if (rotated.followUp() == null) {
            return sent;
        }
        // committed, steps after the commit still to do (no answer, or the breach switch grace): the retry's replay
        // does them
        int attempts = request.attempts() + 1;
        Instant first = firstFailure(request);
        Duration after = rotated.followUp().after() != null ? rotated.followUp().after() : delay(attempts);
        Log.debugf("%s: %s; running it again in %s", request, rotated.followUp().reason(), after);
        return CompletableFuture.allOf(sent, publisher.retry(request.due(), request.rawValue(), attempts, first,
                Instant.now().plus(after), request.traceparent()));
    }

    private CompletableFuture<Void> failed(RotationRequest request, Failed failed, String traceparent) {
        int attempts = request.attempts() + 1;
        Instant first = firstFailure(request);
        boolean pastHorizon = !Instant.now().isBefore(first.plus(retry.horizon()));
        boolean last = failed.permanent() || pastHorizon && !failed.valueMayBeInForce();
        Log.warnf("%s failed at %s (attempt %d%s): %s; Vault's value %s", request, failed.step().eventName(),
                attempts, last ? ", final" : "", failed.reason(), describe(failed));
        metrics.outcome(request.due(), last ? Outcome.FAILED : Outcome.RETRYING);
        CompletableFuture<Void> reported = publisher.failed(request.due(), failed, attempts, last, traceparent);
        if (last) {
            return reported;
        }
        return CompletableFuture.allOf(reported, publisher.retry(request.due(), request.rawValue(), attempts, first,
                Instant.now().plus(delay(attempts)), request.traceparent()));
    }

    /** Exponential from {@code retry.delay}, capped at {@code retry.max-delay}, with equal jitter. */
    private Duration delay(int attempts) {
        long base = retry.delay().toMillis();
        long delay = Math.min(retry.maxDelay().toMillis(), base << Math.min(20, Math.max(0, attempts - 1)));
        return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }

    private static Instant firstFailure(RotationRequest request) {
        return request.firstFailure() != null ? request.firstFailure() : Instant.now();
    }

    private static String describe(Failed failed) {
        return switch (failed.oldCredential()) {
            case VALID -> "logs in";
            case INVALID -> "does NOT log in";
            case UNKNOWN -> "could not be checked";
        };
    }
}
