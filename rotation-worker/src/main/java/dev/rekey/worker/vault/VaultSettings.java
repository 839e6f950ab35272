package dev.rekey.worker.vault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where Vault is and how the worker logs in (environment {@code VAULT_ADDR}, {@code VAULT_TOKEN}, ...). */
@ConfigMapping(prefix = "vault")
public interface VaultSettings {

    /** Base URL of Vault, e.g. {@code https://vault.internal:8200}. */
    @WithDefault("http://127.0.0.1:8200")
    String addr();

    /**
     * A static token (tests and the old dev path only). The worker's policy is
     * {@code deploy/vault/policies/rotation-worker.hcl}; production logs in with AppRole.
     */
    Optional<String> token();

    /** AppRole login, preferred whenever set (role {@code rotation-worker}). */
    AppRole approle();

    /** TCP connect timeout towards Vault. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Timeout of one Vault request; a rotation's lease must outlast it ({@code rekey.worker.lease.min-remaining}). */
    @WithDefault("10s")
    Duration requestTimeout();

    /** AppRole credentials ({@code VAULT_APPROLE_ROLE_ID}, {@code VAULT_APPROLE_SECRET_ID}). */
    interface AppRole {

        /** The role id of {@code rotation-worker}. */
        Optional<String> roleId();

        /** A secret id of {@code rotation-worker}. */
        Optional<String> secretId();

        /** Where the AppRole auth method is mounted. */
        @WithDefault("approle")
        String mount();
    }
}
