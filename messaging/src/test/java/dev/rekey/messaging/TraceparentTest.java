package dev.rekey.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceparentTest {

    private static final String HEADER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aHeaderNamesItsSpanAndTheSpanWritesTheSameHeader() {
        Context parent = Traceparent.parent(HEADER);
        SpanContext span = Span.fromContext(parent).getSpanContext();
        assertThat(span.isValid()).isTrue();
        assertThat(span.isRemote()).isTrue();
        assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(Traceparent.of(parent)).isEqualTo(HEADER);
    }

    @Test
    void aContextWithoutASpanWritesNoHeader() {
        assertThat(Traceparent.of(Context.root())).isNull();
        Context invalid = Context.root().with(Span.wrap(SpanContext.create("0".repeat(32), "0".repeat(16),
                TraceFlags.getDefault(), TraceState.getDefault())));
        assertThat(Traceparent.of(invalid)).isNull();
    }

    @Test
    void noHeaderOrAMalformedOneIsTheRootContext() {
        assertThat(Traceparent.parent(null)).isSameAs(Context.root());
        for (String bad : new String[] {"", "garbage", "00-zz-00f067aa0ba902b7-01", "00-" + "0".repeat(32)
                + "-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u0000"}) {
            assertThat(Span.fromContext(Traceparent.parent(bad)).getSpanContext().isValid()).as(bad).isFalse();
        }
    }
}
