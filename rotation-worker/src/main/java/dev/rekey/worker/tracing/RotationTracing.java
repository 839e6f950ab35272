package dev.rekey.worker.tracing;

import dev.rekey.events.RotationDue;
import dev.rekey.messaging.Traceparent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts the worker's spans: one per run of a rotation request ({@link RotationSpan}), parented to the request's W3C
 * {@code traceparent} — the inventory's breach report, carried through its outbox and Kafka — so that a campaign
 * reads as one trace. The worker's Kafka loop is a plain {@code KafkaConsumer}, which nothing instruments, hence the
 * spans by hand. With the SDK disabled (the default) the tracer is a no-op: results then carry the request's
 * {@code traceparent} on unchanged.
 */
@ApplicationScoped
public class RotationTracing {

    /** The instrumentation scope of the worker's own spans. */
    public static final String SCOPE = "dev.rekey.rotation-worker";


    private final Tracer tracer;

    RotationTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * Starts the span of one run of {@code due} and makes it current on this thread until it is closed (on the same
     * thread). Attributes name the rotation, the credential, the system and the cause, never a value.
     *
     * @param topic       where the request came from
     * @param attempts    attempts made before this one
     * @param traceparent the request's W3C header, or null
     */
    public RotationSpan start(RotationDue due, String topic, int attempts, String traceparent) {
        Context parent = Traceparent.parent(traceparent);
        Span span = tracer.spanBuilder("rotate " + due.target().type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("rekey.rotation_id", due.rotationId().toString())
                .setAttribute("rekey.credential_id", due.credentialId())
                .setAttribute("rekey.system_id", due.credential().systemId())
                .setAttribute("rekey.target_type", due.target().type())
                .setAttribute("rekey.cause", due.cause().type().name())
                .setAttribute("rekey.attempt", attempts + 1L)
                .startSpan();
        return new RotationSpan(tracer, span);
    }
}
