package dev.rekey.worker.health;

import dev.rekey.worker.vault.VaultClients;
import io.github.jopenlibs.vault.rest.RestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when Vault answers {@code sys/health} as initialized and unsealed (200, or 429/473 for a standby that
 * forwards): without Vault no rotation can even start. Kafka readiness comes from SmallRye Reactive Messaging.
 */
@Readiness
@ApplicationScoped
public class VaultReadiness implements HealthCheck {

    @Inject
    VaultClients clients;

    @Override
    public HealthCheckResponse call() {
        int status;
        try {
            status = clients.request("sys/health").get().getStatus();
        } catch (RestException e) {
            status = 0;
        }
        boolean up = status == 200 || status == 429 || status == 473;
        return HealthCheckResponse.named("vault").status(up).withData("status", status).build();
    }
}
