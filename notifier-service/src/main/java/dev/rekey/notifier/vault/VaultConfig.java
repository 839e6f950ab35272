package dev.rekey.notifier.vault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** Where the channel secrets are read from. */
@ConfigMapping(prefix = "vault")
public interface VaultConfig {

    /** Vault base URL ({@code VAULT_ADDR}). */
    @WithDefault("http://127.0.0.1:8200")
    String addr();

    /**
     * A static token ({@code VAULT_TOKEN}), for tests and the dev stack only, until the shared {@code vault-access}
     * module (AppRole login and renewal) is available to the notifier.
     */
    Optional<String> token();

    /** How long a secret read from Vault is kept in memory (never on disk, never in the database); 0 disables it. */
    @WithName("cache-ttl")
    @WithDefault("30s")
    Duration cacheTtl();

    /** Time for Vault to answer a read. */
    @WithDefault("5s")
    Duration timeout();
}
