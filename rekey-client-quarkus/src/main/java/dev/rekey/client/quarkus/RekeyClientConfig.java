package dev.rekey.client.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of the rekey client in a Quarkus application ({@code rekey.client.*}). */
@ConfigMapping(prefix = "rekey.client")
public interface RekeyClientConfig {

    /** The credentials the application uses, by rekey credential id (the name a datasource's provider asks for). */
    Map<String, CredentialConfig> credentials();

    /** Where the {@code secret-rotated} events come from. */
    Kafka kafka();

    /** Where the credentials are read. */
    Vault vault();

    /** Backoff of a Vault read that failed. */
    Retry retry();

    /** How long start-up keeps trying to read the credentials from Vault before the application fails. */
    @WithDefault("30S")
    Duration startTimeout();

    /** How often Vault's current versions are checked besides the events, in case one was lost on the way. */
    @WithDefault("5M")
    Duration checkInterval();

    /** One credential. */
    interface CredentialConfig {

        /** The KV v2 mount of its secret. */
        @WithDefault("secret")
        String mount();

        /** The secret's path below the mount, e.g. {@code apps/orders/db}. */
        String path();

        /** The secret's field with the downstream user. */
        @WithDefault("username")
        String usernameField();

        /** The secret's field with the value. */
        @WithDefault("password")
        String secretField();

        /**
         * The JDBC datasources to flush when it rotates ({@code <default>} for the default one); when absent, every
         * datasource whose {@code credentials-provider} names this credential.
         */
        Optional<List<String>> datasources();
    }

    /** The Kafka consumer of {@code rekey.secret-rotated}. */
    interface Kafka {

        /** {@code bootstrap.servers}; the application's {@code kafka.bootstrap.servers} unless set. */
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();

        /** The topic of {@code secret-rotated} events. */
        @WithDefault("rekey.secret-rotated")
        String topic();

        /** More consumer properties (TLS, SASL), e.g. {@code rekey.client.kafka.properties."security.protocol"}. */
        Map<String, String> properties();
    }

    /** Vault and the login: AppRole whenever a role id is set, else a static token. */
    interface Vault {

        /** Vault's address; the application's {@code vault.addr} ({@code VAULT_ADDR}) unless set. */
        @WithDefault("${vault.addr:http://127.0.0.1:8200}")
        String addr();

        /** AppRole login, renewed by the shared {@code VaultSession}. */
        AppRole approle();

        /** A static token, for tests and development; the application's {@code vault.token} ({@code VAULT_TOKEN}). */
        @WithDefault("${vault.token:}")
        Optional<String> token();

        /** The application's own AppRole. */
        interface AppRole {

            /** The role id; the application's {@code vault.approle.role-id} ({@code VAULT_APPROLE_ROLE_ID}). */
            @WithDefault("${vault.approle.role-id:}")
            Optional<String> roleId();

            /** The secret id; the application's {@code vault.approle.secret-id} ({@code VAULT_APPROLE_SECRET_ID}). */
            @WithDefault("${vault.approle.secret-id:}")
            Optional<String> secretId();

            /** Where AppRole is enabled; the application's {@code vault.approle.mount}. */
            @WithDefault("${vault.approle.mount:approle}")
            String mount();
        }
    }

    /** Backoff of failed Vault reads: from {@code initial} doubling up to {@code max}, with jitter. */
    interface Retry {

        /** The first pause after a failed read. */
        @WithDefault("1S")
        Duration initialBackoff();

        /** The longest pause between two reads. */
        @WithDefault("1M")
        Duration maxBackoff();
    }
}
