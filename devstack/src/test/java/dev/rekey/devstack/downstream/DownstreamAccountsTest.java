package dev.rekey.devstack.downstream;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.postgres.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each kind against its real server: the machine's MariaDB, Redis and RabbitMQ ({@code .ci/run} starts them; a test
 * is skipped where one is missing, as the demo skips the kind) and an embedded PostgreSQL.
 */
class DownstreamAccountsTest {

    @Test
    void postgresUsersLogInWithTheirPasswordOnlyAndTheAdminCanChangeThemWithoutBeingSuperuser() throws Exception {
        try (PostgresServer pg = PostgresServer.startEmbedded(null, 0)) {
            pg.createDatabase("appdb");
            PostgresAccounts accounts = PostgresAccounts.open(pg, "appdb", "rkt_" + Secrets.runTag() + "_");
            // what the worker does with this admin: ALTER ROLE of a role it created (ADMIN OPTION, PostgreSQL 16+)
            String role = accounts.admin().username() + "_role";
            accounts.createUsers(Map.of(role, "first-password"));
            try (Connection asAdmin = DriverManager.getConnection(pg.jdbcUrl("appdb"), accounts.admin().username(),
                    accounts.admin().password()); Statement sql = asAdmin.createStatement()) {
                ResultSet superuser = sql.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
                assertThat(superuser.next() && superuser.getBoolean(1)).isFalse();
                sql.execute("ALTER ROLE \"" + role + "\" PASSWORD 'second-password'");
            }
            assertThat(accounts.logsIn(role, "second-password")).isTrue();
            assertThat(accounts.logsIn(role, "first-password")).isFalse();
            accounts.dropUsers(List.of(role));
            assertUsersWork(accounts);
        }
    }

    @Test
    void mariadbUsersLogInWithTheirPasswordOnlyAndAreRemoved() throws Exception {
        assumeTrue(Reachability.answers(MariaDbAccounts.HOST, MariaDbAccounts.PORT), "MariaDB on 3306");
        assertUsersWork(MariaDbAccounts.open("rkt_" + Secrets.runTag() + "_"));
    }

    @Test
    void redisUsersLogInWithTheirPasswordOnlyAndAreRemoved() throws Exception {
        assumeTrue(Reachability.answers(RedisAccounts.HOST, RedisAccounts.PORT), "Redis on 6379");
        assertUsersWork(RedisAccounts.open("rkt_" + Secrets.runTag() + "_"));
    }

    @Test
    void rabbitmqUsersLogInWithTheirPasswordOnlyAndAreRemoved() throws Exception {
        assumeTrue(Reachability.answers(RabbitMqAccounts.HOST, RabbitMqAccounts.AMQP_PORT), "RabbitMQ on 5672");
        assertUsersWork(RabbitMqAccounts.open("rkt_" + Secrets.runTag() + "_"));
    }

    @Test
    void aServerThatDoesNotAnswerIsSkippedWithItsAddress() {
        int closed = Ports.free();
        assertThatThrownBy(() -> Reachability.require("127.0.0.1", closed))
                .isInstanceOf(DownstreamUnavailable.class)
                .hasMessage("nothing answers on 127.0.0.1:" + closed);
    }

    @Test
    void aLoginNeverShowsItsPassword() {
        Login login = new Login("someone", "Sup3rSecretValue");
        assertThat(login.toString()).contains("someone").doesNotContain("Sup3rSecretValue");
    }

    /** Two users: each logs in with its own password only; removed, neither logs in; closed, the admin is gone. */
    private static void assertUsersWork(DownstreamAccounts accounts) throws Exception {
        String prefix = accounts.admin().username().replace("admin", "");
        String alice = prefix + "alice";
        String bob = prefix + "bob";
        String alicePassword = Secrets.password();
        String bobPassword = Secrets.password();
        try {
            assertThat(accounts.logsIn(accounts.admin().username(), accounts.admin().password())).isTrue();
            accounts.createUsers(Map.of(alice, alicePassword, bob, bobPassword));
            assertThat(accounts.logsIn(alice, alicePassword)).isTrue();
            assertThat(accounts.logsIn(bob, bobPassword)).isTrue();
            assertThat(accounts.logsIn(alice, bobPassword)).isFalse();
            assertThat(accounts.logsIn(bob, "wrong-" + bobPassword)).isFalse();

            accounts.dropUsers(List.of(alice, bob));
            assertThat(accounts.logsIn(alice, alicePassword)).isFalse();
            assertThat(accounts.logsIn(bob, bobPassword)).isFalse();
            accounts.dropUsers(List.of(alice)); // already gone: fine
        } finally {
            accounts.close();
        }
        assertThat(accounts.logsIn(accounts.admin().username(), accounts.admin().password())).isFalse();
    }
}
