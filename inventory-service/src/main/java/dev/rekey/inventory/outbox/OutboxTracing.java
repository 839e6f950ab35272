package dev.rekey.inventory.outbox;

import dev.rekey.messaging.Traceparent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;

/**
 * Carries a trace across the outbox: the row stores the W3C {@code traceparent} of the transaction that wrote it,
 * and the relay sends the row as a child of that context, so that the Kafka connector's producer span and the
 * record's {@code traceparent} header belong to the breach report's trace, although the send happens later and
 * elsewhere. Without tracing (the SDK disabled) nothing is stored and the relay adds nothing.
 */
final class OutboxTracing {


    private OutboxTracing() {
    }

    /** The {@code traceparent} of the current span, or null when there is none (tracing off, no request). */
    static String currentTraceparent() {
        return Traceparent.of(Context.current());
    }

    /** The metadata that makes the Kafka connector send a row as part of the trace it was written in. */
    static TracingMetadata parent(String traceparent) {
        return TracingMetadata.withCurrent(Traceparent.parent(traceparent));
    }
}
