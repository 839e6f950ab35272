package dev.rekey.worker.health;

import dev.rekey.worker.vault.VaultHttp;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when Vault answers {@code sys/health} as initialized and unsealed (200, or 429/473 for a standby that
 * forwards): without Vault no rotation can even start.
 */
@Readiness
@ApplicationScoped
public class VaultReadiness implements HealthCheck {

    private final VaultHttp vault;

    public VaultReadiness(VaultHttp vault) {
        this.vault = vault;
    }

    @Override
    public HealthCheckResponse call() {
        int status = vault.healthStatus();
        boolean up = status == 200 || status == 429 || status == 473;
        return HealthCheckResponse.named("vault").status(up).withData("status", status).build();
    }
}
