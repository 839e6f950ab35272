package dev.rekey.notifier.vault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** Where the channel secrets are read from, and how the notifier logs in (names of NAMES.md). */
@ConfigMapping(prefix = "vault")
public interface VaultConfig {

    /** Vault base URL ({@code VAULT_ADDR}). */
    @WithDefault("http://127.0.0.1:8200")
    String addr();

    /** AppRole login (role {@code notifier-service}), preferred whenever the role id is set. */
    AppRole approle();

    /** A static token ({@code VAULT_TOKEN}), for tests and the old dev path only. */
    Optional<String> token();

    /** How long a secret read from Vault is kept in memory (never on disk, never in the database); 0 disables it. */
    @WithName("cache-ttl")
    @WithDefault("30s")
    Duration cacheTtl();

    /** Time for Vault to answer a read. */
    @WithDefault("5s")
    Duration timeout();

    /** The AppRole credentials. */
    interface AppRole {

        /** The role id ({@code VAULT_APPROLE_ROLE_ID}). */
        Optional<String> roleId();

        /** The secret id ({@code VAULT_APPROLE_SECRET_ID}). */
        Optional<String> secretId();

        /** Where AppRole is enabled. */
        @WithDefault("approle")
        String mount();
    }
}
