package dev.rekey.inventory.outbox;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;

import java.util.List;

/**
 * Carries a trace across the outbox: the row stores the W3C {@code traceparent} of the transaction that wrote it,
 * and the relay sends the row as a child of that context, so that the Kafka connector's producer span and the
 * record's {@code traceparent} header belong to the breach report's trace, although the send happens later and
 * elsewhere. Without tracing (the SDK disabled) nothing is stored and the relay adds nothing.
 */
final class OutboxTracing {

    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<String> HEADER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private OutboxTracing() {
    }

    /** The {@code traceparent} of the current span, or null when there is none (tracing off, no request). */
    static String currentTraceparent() {
        String[] header = new String[1];
        W3CTraceContextPropagator.getInstance().inject(Context.current(), header, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key)) {
                carrier[0] = value;
            }
        });
        return header[0];
    }

    /** The metadata that makes the Kafka connector send a row as part of the trace it was written in. */
    static TracingMetadata parent(String traceparent) {
        return TracingMetadata.withCurrent(
                W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, HEADER));
    }
}
