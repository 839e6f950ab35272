package dev.rekey.inventory.support;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.vault.VaultSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the service at the shared Vault dev server as the launcher does: AppRole as {@code inventory-service}
 * with its real policy from {@code deploy/vault/policies} (list and read metadata only). Tests write secrets with
 * the root token ({@link SharedStack#vaultToken()}).
 */
public class InventoryVault implements QuarkusTestResourceLifecycleManager {

    private static VaultSetup.AppRoleLogin login;

    @Override
    public Map<String, String> start() {
        VaultSetup.AppRoleLogin login = login();
        return Map.of("vault.addr", SharedStack.vaultAddress(), "vault.approle.role-id", login.roleId(),
                "vault.approle.secret-id", login.secretId());
    }

    private static synchronized VaultSetup.AppRoleLogin login() {
        if (login == null) {
            login = VaultSetup.forVault(SharedStack.vaultAddress(), SharedStack.vaultToken()).apply()
                    .get("inventory-service");
        }
        return login;
    }

    @Override
    public void stop() {
        // shared with every test class of this JVM
    }
}
