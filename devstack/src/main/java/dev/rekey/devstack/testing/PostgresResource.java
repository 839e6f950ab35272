package dev.rekey.devstack.testing;

import dev.rekey.devstack.postgres.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest}'s datasource at a fresh database on the shared PostgreSQL server. Init arg
 * {@code database} names it (default {@code rekey_test}); it is dropped and recreated on start.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database = "rekey_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer pg = SharedStack.postgres();
        try {
            pg.recreateDatabase(database);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
        return Map.of(
                "quarkus.datasource.reactive.url", pg.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(database),
                "quarkus.datasource.username", pg.superuser(),
                "quarkus.datasource.password", pg.superuserPassword());
    }

    @Override
    public void stop() {
        // the server is shared; the database stays for post-mortem until the next run recreates it
    }
}
