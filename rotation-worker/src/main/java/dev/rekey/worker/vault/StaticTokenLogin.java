package dev.rekey.worker.vault;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Logs in with {@code vault.token}. Refuses to start when only AppRole credentials are given: AppRole login comes with
 * the {@code vault-access} module, and a worker silently running without a token would fail every rotation.
 */
@ApplicationScoped
public class StaticTokenLogin implements VaultLogin {

    private final String token;

    public StaticTokenLogin(VaultSettings settings) {
        if (settings.token().isEmpty() || settings.token().get().isBlank()) {
            throw new IllegalStateException(settings.approle().roleId().isPresent()
                    ? "AppRole login (vault.approle.*) is not built into this worker yet: set VAULT_TOKEN"
                    : "no Vault login: set VAULT_TOKEN (vault.token)");
        }
        this.token = settings.token().get();
    }

    @Override
    public String token() {
        return token;
    }
}
