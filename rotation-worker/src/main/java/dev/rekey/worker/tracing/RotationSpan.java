package dev.rekey.worker.tracing;

import dev.rekey.worker.rotation.RotationOutcome;
import dev.rekey.worker.rotation.RotationOutcome.Deferred;
import dev.rekey.worker.rotation.RotationOutcome.Failed;
import dev.rekey.worker.rotation.RotationOutcome.Rotated;
import dev.rekey.worker.rotation.Step;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import dev.rekey.messaging.Traceparent;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import org.jboss.logging.MDC;

import java.util.Locale;

/**
 * The span of one run of a rotation request, current on the rotation's thread while it runs, with a child span per
 * protocol step: a step's span lasts from the step's start to the next step's (or the run's end), which is what
 * {@code StepListener} can tell. Used by one thread only.
 */
public final class RotationSpan implements AutoCloseable {

    private static final ContextKey<RotationSpan> CURRENT = ContextKey.named("rekey-rotation-span");
    private static final String TRACE_ID = "traceId";
    private static final String SPAN_ID = "spanId";

    private final Tracer tracer;
    private final Span span;
    private final Context context;
    private final Scope scope;
    private Span step;

    RotationSpan(Tracer tracer, Span span) {
        this.tracer = tracer;
        this.span = span;
        Context withSpan = Context.current().with(span);
        this.context = withSpan.with(CURRENT, this);
        this.scope = context.makeCurrent();
        // the ids in this thread's log lines while the rotation runs (JSON logs print the MDC)
        if (span.getSpanContext().isValid()) {
            MDC.put(TRACE_ID, span.getSpanContext().getTraceId());
            MDC.put(SPAN_ID, span.getSpanContext().getSpanId());
        }
    }

    /** Marks the start of {@code step} in the rotation running on this thread, if a span is open for it. */
    public static void stepReached(Step step) {
        RotationSpan current = Context.current().get(CURRENT);
        if (current != null) {
            current.step(step);
        }
    }

    private void step(Step next) {
        endStep();
        step = tracer.spanBuilder(next.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .setParent(context)
                .setAttribute("rekey.step", next.eventName())
                .startSpan();
    }

    /** Records how the run ended: rotated, replayed, deferred, or failed at a step (an error status). */
    public void outcome(RotationOutcome outcome) {
        if (outcome instanceof Rotated rotated) {
            span.setAttribute("rekey.outcome", rotated.replayed() ? "replayed" : "rotated");
            span.setAttribute("rekey.vault_version", rotated.version());
        } else if (outcome instanceof Deferred) {
            span.setAttribute("rekey.outcome", "deferred");
        } else if (outcome instanceof Failed failed) {
            span.setAttribute("rekey.outcome", failed.permanent() ? "failed" : "retrying");
            span.setAttribute("rekey.failed_step", failed.step().eventName());
            span.setAttribute("rekey.old_credential", failed.oldCredential().name());
            // the reason is the one rotation-failed carries: no value, no stack trace
            span.setStatus(StatusCode.ERROR, failed.reason());
        }
    }

    /**
     * The W3C {@code traceparent} that names this span, for the results it causes; {@code incoming} (the request's,
     * possibly null) when tracing is off and the span is a no-op.
     */
    public String traceparent(String incoming) {
        if (!span.getSpanContext().isValid() || !span.isRecording()) {
            return incoming;
        }
        String header = Traceparent.of(context);
        return header != null ? header : incoming;
    }

    @Override
    public void close() {
        endStep();
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
        scope.close();
        span.end();
    }

    private void endStep() {
        if (step != null) {
            step.end();
            step = null;
        }
    }
}
