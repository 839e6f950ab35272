package dev.rekey.notifier.vault;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The token the notifier reads Vault with. Today a static token from {@code vault.token}: the seam where the shared
 * {@code vault-access} module's AppRole session ({@code VaultSession}) plugs in once it is on main.
 */
@ApplicationScoped
public class VaultToken {

    private final VaultConfig config;

    VaultToken(VaultConfig config) {
        this.config = config;
    }

    public Uni<String> current() {
        return config.token().map(token -> Uni.createFrom().item(token))
                .orElseGet(() -> Uni.createFrom().failure(new IllegalStateException(
                        "no Vault token configured (vault.token / VAULT_TOKEN)")));
    }
}
