package dev.rekey.worker.testing;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.vault.VaultSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared Vault dev server as AppRole {@code rotation-worker}, holding only the
 * worker's policy from {@code deploy/vault/policies/rotation-worker.hcl} (no token of the test's own).
 */
public class WorkerAppRoleResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        VaultSetup.AppRoleLogin login = VaultSetup.forVault(SharedStack.vaultAddress(), SharedStack.vaultToken())
                .apply().get("rotation-worker");
        return Map.of("vault.addr", SharedStack.vaultAddress(),
                "vault.approle.role-id", login.roleId(),
                "vault.approle.secret-id", login.secretId());
    }

    @Override
    public void stop() {
        // the shared server outlives the test
    }
}
