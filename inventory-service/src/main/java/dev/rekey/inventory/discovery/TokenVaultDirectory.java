package dev.rekey.inventory.discovery;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Lists KV v2 metadata with the Vault Java Driver, logged in with a token ({@code VAULT_TOKEN}). */
@ApplicationScoped
public class TokenVaultDirectory implements VaultDirectory {

    private final Config config;

    TokenVaultDirectory(Config config) {
        this.config = config;
    }

    @Override
    public List<String> list(String mount, String folder) {
        if (config.addr().isEmpty() || config.token().isEmpty()) {
            throw new VaultUnavailableException("Vault is not configured (VAULT_ADDR, VAULT_TOKEN)");
        }
        try {
            Vault vault = Vault.create(new VaultConfig().address(config.addr().get()).token(config.token().get())
                    .engineVersion(2).openTimeout(5).readTimeout(30).build());
            // with engine version 2 the driver lists <mount>/metadata/<folder>
            LogicalResponse response = vault.logical().list(mount + "/" + folder);
            int status = response.getRestResponse().getStatus();
            if (status == 404) {
                return List.of();
            }
            if (status != 200) {
                throw new VaultUnavailableException("Vault answered " + status + " to a listing of mount " + mount);
            }
            return response.getListData();
        } catch (VaultException e) {
            throw new VaultUnavailableException("Vault cannot be reached for a listing of mount " + mount);
        }
    }

    /** Where Vault is and how the inventory logs in to it. */
    @ConfigMapping(prefix = "vault")
    public interface Config {

        /** Vault's base URL ({@code VAULT_ADDR}). */
        Optional<String> addr();

        /** A token that may list the mounts to discover ({@code VAULT_TOKEN}); AppRole comes with vault-access. */
        Optional<String> token();
    }
}
