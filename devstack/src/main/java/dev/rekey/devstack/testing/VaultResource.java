package dev.rekey.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a {@code @QuarkusTest} at the shared Vault dev server ({@code vault.addr}, {@code vault.token}). */
public class VaultResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("vault.addr", SharedStack.vaultAddress(), "vault.token", SharedStack.vaultToken());
    }

    @Override
    public void stop() {
        // shared; stopped when the JVM exits
    }
}
