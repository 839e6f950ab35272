package dev.rekey.notifier.delivery;

import dev.rekey.messaging.Traceparent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One span per delivery attempt, parented to the {@code traceparent} of the event that caused the delivery (stored
 * with it, V20), so that an owner's alert and digest appear in the campaign's trace although they are sent later,
 * from the delivery log. Attributes name the delivery, its kind, channel and audience, never the message or a
 * channel secret. A no-op while tracing is off.
 */
@ApplicationScoped
public class DeliveryTracing {


    private final Tracer tracer;

    DeliveryTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.rekey.notifier-service");
    }

    /** Starts the span of one attempt at {@code message}. */
    Span start(OutgoingMessage message) {
        Context parent = Traceparent.parent(message.traceparent());
        return tracer.spanBuilder("notify " + message.kind() + " " + message.channel().label())
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("rekey.delivery_id", message.id().toString())
                .setAttribute("rekey.event_key", message.eventKey())
                .setAttribute("rekey.audience", message.audience())
                .setAttribute("rekey.channel", message.channel().label())
                .setAttribute("rekey.attempt", message.attempts() + 1L)
                .startSpan();
    }

    /** Ends the span with the attempt's outcome (an error status when it was not sent). */
    static void end(Span span, SendResult result) {
        span.setAttribute("rekey.outcome", result.sent() ? "sent" : result.permanent() ? "refused" : "retry");
        if (!result.sent()) {
            span.setStatus(StatusCode.ERROR, result.error());
        }
        span.end();
    }
}
