package dev.rekey.messaging;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.List;

/**
 * The W3C {@code traceparent} as one string, for the places where a trace crosses something that OpenTelemetry's
 * instrumentation does not see: the inventory's outbox rows, the worker's own Kafka loop and the notifier's delivery
 * log each store or carry the header value and later continue the trace from it. The one carrier of the three
 * services, so that they read and write the header alike.
 */
public final class Traceparent {

    /** The header's name, on Kafka records and in stored rows. */
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<String> FROM_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private static final TextMapSetter<String[]> TO_VALUE = (carrier, key, value) -> {
        if (carrier != null && HEADER.equals(key)) {
            carrier[0] = value;
        }
    };

    private Traceparent() {
    }

    /** The context that {@code traceparent} names, or the root context when it is null or not a valid header. */
    public static Context parent(String traceparent) {
        return traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, FROM_VALUE);
    }

    /** The header value naming the span of {@code context}, or null when it holds no valid span (tracing off). */
    public static String of(Context context) {
        String[] value = new String[1];
        W3CTraceContextPropagator.getInstance().inject(context, value, TO_VALUE);
        return value[0];
    }
}
