package dev.rekey.client.quarkus;

import dev.rekey.client.RekeyClient;
import dev.rekey.client.VaultLogin;
import dev.rekey.client.WatchedCredential;
import dev.rekey.vault.VaultSession;
import dev.rekey.vault.VaultSessionSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the {@link RekeyClient} with the application, logged in to Vault through the shared {@link VaultSession}
 * (AppRole whenever {@code VAULT_APPROLE_ROLE_ID} is set, else {@code VAULT_TOKEN}): the watched credentials are read from Vault before the
 * application is ready (it fails to start without them), then followed. On each rotation the JDBC pools using the
 * credential are flushed gracefully and {@link CredentialRotated} is fired.
 *
 * <p>Reactive datasources need nothing here: they ask the provider for every new connection, and Vert.x pools
 * offer no flush. Connections they hold keep working (PostgreSQL does not end a session when its password changes);
 * set {@code quarkus.datasource.reactive.max-lifetime} to bound how long they live, and in a breach the server ends
 * them and the pool replaces them with the new value.
 */
@Singleton
public class RekeyClientProducer {

    private VaultSession vaultSession;

    @Produces
    @Singleton
    @Startup
    RekeyClient client(RekeyClientConfig config, Event<CredentialRotated> rotated) {
        if (config.credentials().isEmpty()) {
            throw new IllegalStateException("rekey-client: no credential configured (rekey.client.credentials.<id>.path)");
        }
        JdbcPools pools = present("io.agroal.api.AgroalDataSource") ? JdbcPools.of(config, ConfigProvider.getConfig()) : null;
        vaultSession = VaultSession.open(vaultSettings(config.vault()));
        RekeyClient.Builder builder = RekeyClient.builder()
                .kafkaBootstrapServers(config.kafka().bootstrapServers())
                .kafkaProperties(config.kafka().properties())
                .topic(config.kafka().topic())
                .vault(config.vault().addr(), VaultLogin.session(vaultSession))
                .startTimeout(config.startTimeout())
                .checkInterval(config.checkInterval())
                .retryBackoff(config.retry().initialBackoff(), config.retry().maxBackoff())
                // failed reloads are logged and counted by the client, and exposed by ClientMeters
                .listener((current, previous) -> {
                    if (pools != null) {
                        pools.flush(current.credentialId());
                    }
                    rotated.fire(new CredentialRotated(current, previous));
                });
        config.credentials().forEach((id, c) -> builder.watch(
                new WatchedCredential(id, c.mount(), c.path(), c.usernameField(), c.secretField())));
        RekeyClient client;
        try {
            client = builder.start();
        } catch (RuntimeException e) {
            vaultSession.close();
            throw e;
        }
        if (present("io.micrometer.core.instrument.Metrics")) {
            ClientMeters.bind(client);
        }
        return client;
    }

    void close(@Disposes RekeyClient client) {
        client.close();
        vaultSession.close();
    }

    /** AppRole whenever a role id is set (NAMES.md), else the static token. */
    private static VaultSessionSettings vaultSettings(RekeyClientConfig.Vault vault) {
        if (vault.approle().roleId().isPresent()) {
            return VaultSessionSettings.appRole(vault.addr(), vault.approle().roleId().get(),
                    vault.approle().secretId().orElseThrow(() -> new IllegalStateException(
                            "rekey-client: VAULT_APPROLE_ROLE_ID is set but VAULT_APPROLE_SECRET_ID is not")))
                    .withAppRoleMount(vault.approle().mount());
        }
        return VaultSessionSettings.staticToken(vault.addr(), vault.token().orElseThrow(() -> new IllegalStateException(
                "rekey-client: no Vault login (VAULT_APPROLE_ROLE_ID and VAULT_APPROLE_SECRET_ID, or VAULT_TOKEN)")));
    }

    /** Agroal and Micrometer are optional: the classes that use them are loaded only when they are there. */
    private static boolean present(String className) {
        try {
            Class.forName(className, false, RekeyClientProducer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
