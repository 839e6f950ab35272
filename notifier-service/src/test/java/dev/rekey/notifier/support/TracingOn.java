package dev.rekey.notifier.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Tracing switched on as an operator would ({@code QUARKUS_OTEL_SDK_DISABLED=false}), with the spans kept in memory
 * instead of exported (the test build has no OTLP exporter: {@code %test.quarkus.otel.exporter.otlp.enabled=false}).
 */
public class TracingOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false");
    }

    /** The exporter the SDK picks up as a CDI bean ({@code quarkus.otel.traces.exporter=cdi}, the default). */
    @Singleton
    public static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }
    }
}
