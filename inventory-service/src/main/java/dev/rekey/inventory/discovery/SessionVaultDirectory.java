package dev.rekey.inventory.discovery;

import dev.rekey.vault.VaultSession;
import dev.rekey.vault.VaultSessionException;
import dev.rekey.vault.VaultSessionSettings;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Lists KV v2 metadata with the Vault Java Driver through the shared {@code vault-access} session: AppRole as
 * {@code inventory-service} whenever a role id is set, else a static token. The session opens on the first
 * discovery: the inventory works without Vault, so Vault being away at start must not keep it from starting.
 */
@ApplicationScoped
public class SessionVaultDirectory implements VaultDirectory {

    private final Config config;
    private volatile VaultSession session;

    SessionVaultDirectory(Config config) {
        this.config = config;
    }

    @Override
    public List<String> list(String mount, String folder) {
        try {
            // with engine version 2 the driver lists <mount>/metadata/<folder>
            LogicalResponse response = session().vault().logical().list(mount + "/" + folder);
            int status = response.getRestResponse().getStatus();
            if (status == 404) {
                return List.of();
            }
            if (status == 403) {
                throw new ListingDeniedException(mount + "/" + folder);
            }
            if (status != 200) {
                throw new VaultUnavailableException("Vault answered " + status + " to a listing of mount " + mount);
            }
            return response.getListData();
        } catch (VaultException | VaultSessionException e) {
            throw new VaultUnavailableException("Vault cannot be reached for a listing of mount " + mount);
        }
    }

    private synchronized VaultSession session() {
        if (config.addr().isEmpty()) {
            throw new VaultUnavailableException("Vault is not configured (VAULT_ADDR)");
        }
        if (session == null) {
            try {
                session = VaultSession.open(new VaultSessionSettings(config.addr().get(),
                        config.approle().roleId().orElse(null), config.approle().secretId().orElse(null),
                        config.token().orElse(null), config.approle().mount(), null, config.timeout(), 0, null));
            } catch (IllegalArgumentException e) {
                // a missing login: the message names the settings, never a secret
                throw new VaultUnavailableException(e.getMessage());
            }
        }
        return session;
    }

    @PreDestroy
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** Where Vault is and how the inventory logs in to it. */
    @ConfigMapping(prefix = "vault")
    public interface Config {

        /** Vault's base URL ({@code VAULT_ADDR}); without it discovery answers 503. */
        Optional<String> addr();

        /** AppRole login (role {@code inventory-service}), preferred whenever the role id is set. */
        AppRole approle();

        /** A static token ({@code VAULT_TOKEN}), for tests and the old dev path only. */
        Optional<String> token();

        /** Time for Vault to answer one listing. */
        @WithDefault("10s")
        Duration timeout();

        /** The AppRole credentials. */
        interface AppRole {

            /** The role id ({@code VAULT_APPROLE_ROLE_ID}). */
            Optional<String> roleId();

            /** The secret id ({@code VAULT_APPROLE_SECRET_ID}). */
            Optional<String> secretId();

            /** Where AppRole is enabled ({@code vault.approle.mount}). */
            @WithDefault("approle")
            String mount();
        }
    }
}
