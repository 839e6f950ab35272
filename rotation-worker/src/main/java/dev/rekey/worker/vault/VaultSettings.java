package dev.rekey.worker.vault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where Vault is and how to reach it (environment {@code VAULT_ADDR}, {@code VAULT_TOKEN}). */
@ConfigMapping(prefix = "vault")
public interface VaultSettings {

    /** Base URL of Vault, e.g. {@code https://vault.internal:8200}. */
    @WithDefault("http://127.0.0.1:8200")
    String addr();

    /** The worker's Vault token (policy: read/write the credentials' KV paths and their rekey-pending twins). */
    String token();

    /** TCP connect timeout towards Vault. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Timeout of one Vault request. */
    @WithDefault("10s")
    Duration requestTimeout();
}
