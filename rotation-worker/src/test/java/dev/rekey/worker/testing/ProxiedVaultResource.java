package dev.rekey.worker.testing;

import dev.rekey.devstack.testing.SharedStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Points a {@code @QuarkusTest} at the shared Vault dev server through a {@link PausableProxy}, so that a test can
 * make Vault stop answering for the worker only. The pause switch is {@link #vaultPaused()}: an
 * {@link AtomicBoolean} kept in the system properties, the same object whichever class loader asks.
 */
public class ProxiedVaultResource implements QuarkusTestResourceLifecycleManager {

    private static final String SWITCHES = "rekey.test.pause-switches";
    private PausableProxy proxy;

    /** Set it to make the worker's Vault stop answering; clear it to resume. */
    @SuppressWarnings("unchecked")
    public static AtomicBoolean vaultPaused() {
        Map<String, AtomicBoolean> switches = (Map<String, AtomicBoolean>) System.getProperties()
                .computeIfAbsent(SWITCHES, key -> new ConcurrentHashMap<String, AtomicBoolean>());
        return switches.computeIfAbsent("vault", key -> new AtomicBoolean());
    }

    @Override
    public Map<String, String> start() {
        URI vault = URI.create(SharedStack.vaultAddress());
        try {
            proxy = PausableProxy.to(vault.getHost(), vault.getPort(), vaultPaused());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the Vault proxy", e);
        }
        return Map.of("vault.addr", "http://127.0.0.1:" + proxy.port(), "vault.token", SharedStack.vaultToken());
    }

    @Override
    public void stop() {
        vaultPaused().set(false);
        if (proxy != null) {
            proxy.close();
        }
    }
}
