package dev.rekey.client.quarkus;

import dev.rekey.client.ClientStats;
import dev.rekey.client.RekeyClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.util.function.ToDoubleFunction;

/**
 * The client's counters as Micrometer meters on the global registry (where Quarkus' Micrometer extension keeps its
 * registries): {@code rekey_client_credential_version}, {@code rekey_client_reloads_total},
 * {@code rekey_client_reload_failures_total} and {@code rekey_client_reload_failing} per credential;
 * {@code rekey_client_events_ignored_total}, {@code rekey_client_events_malformed_total},
 * {@code rekey_client_feed_errors_total}. Loaded only when the application has Micrometer.
 */
final class ClientMeters {

    private ClientMeters() {
    }

    /** Call only when Micrometer is on the class path. */
    static void bind(RekeyClient client) {
        MeterRegistry registry = Metrics.globalRegistry;
        for (String id : client.credentialIds()) {
            perCredential(registry, client, id, "rekey.client.credential.version", false, s -> s.version(),
                    "the Vault version of the credential held");
            perCredential(registry, client, id, "rekey.client.reloads", true, s -> s.reloads(),
                    "new versions taken since start");
            perCredential(registry, client, id, "rekey.client.reload.failures", true, s -> s.reloadFailures(),
                    "failed reads of a version from Vault");
            perCredential(registry, client, id, "rekey.client.reload.failing", false, s -> s.failing() ? 1 : 0,
                    "1 while a read is failing and being retried");
        }
        FunctionCounter.builder("rekey.client.events.ignored", client, c -> c.stats().eventsIgnored())
                .description("secret-rotated records that changed nothing").register(registry);
        FunctionCounter.builder("rekey.client.events.malformed", client, c -> c.stats().eventsMalformed())
                .description("records that are not a valid secret-rotated event").register(registry);
        FunctionCounter.builder("rekey.client.feed.errors", client, c -> c.stats().feedErrors())
                .description("failed polls or broker checks").register(registry);
    }

    private static void perCredential(MeterRegistry registry, RekeyClient client, String id, String name,
                                      boolean counter, ToDoubleFunction<ClientStats.CredentialStats> value,
                                      String description) {
        ToDoubleFunction<RekeyClient> read = c -> value.applyAsDouble(c.stats().credentials().get(id));
        if (counter) {
            FunctionCounter.builder(name, client, read).tag("credential", id).description(description)
                    .register(registry);
        } else {
            Gauge.builder(name, client, read).tag("credential", id).description(description).register(registry);
        }
    }
}
