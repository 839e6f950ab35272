package dev.rekey.client.quarkus;

import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.testing.SharedStack;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The devstack's Kafka, Vault and PostgreSQL for the integration tests, and the credential they watch: two login
 * roles (the second for the alternating strategy) and the Vault secret naming the first.
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "rekey_client_quarkus_test";
    static final String CREDENTIAL = "quarkus-test-db";
    static final String VAULT_PATH = "secret/client-quarkus-tests/db";
    static final String ROLE_A = "client_quarkus_a";
    static final String ROLE_B = "client_quarkus_b";
    static final String FIRST_PASSWORD = "first-Value-0123456789";

    @Override
    public Map<String, String> start() {
        PostgresServer pg = SharedStack.postgres();
        try {
            pg.recreateDatabase(DATABASE);
            admin("DROP ROLE IF EXISTS " + ROLE_A, "DROP ROLE IF EXISTS " + ROLE_B,
                    "CREATE ROLE " + ROLE_A + " LOGIN PASSWORD '" + FIRST_PASSWORD + "'",
                    "CREATE ROLE " + ROLE_B + " LOGIN PASSWORD 'unused-Value-0123456789'");
            vault().logical().write(VAULT_PATH, Map.of("username", ROLE_A, "password", FIRST_PASSWORD));
        } catch (SQLException | VaultException e) {
            throw new IllegalStateException("cannot seed the test credential", e);
        }
        return Map.of(
                "kafka.bootstrap.servers", SharedStack.kafkaBootstrapServers(),
                "vault.addr", SharedStack.vaultAddress(),
                "vault.token", SharedStack.vaultToken(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(DATABASE),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(DATABASE));
    }

    /** Runs statements as the superuser in the test database. */
    static void admin(String... statements) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(DATABASE); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static Vault vault() throws VaultException {
        return Vault.create(new VaultConfig().address(SharedStack.vaultAddress()).token(SharedStack.vaultToken())
                .engineVersion(2).build());
    }

    @Override
    public void stop() {
        // the servers are shared for the JVM
    }
}
