package dev.rekey.devstack;

import dev.rekey.devstack.postgres.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresServerTest {

    @Test
    void embeddedServerRequiresTheRightPasswordOnTcp() throws Exception {
        try (PostgresServer pg = PostgresServer.startEmbedded(null, 0)) {
            pg.createDatabase("appdb");
            try (Connection admin = pg.connect("appdb"); Statement sql = admin.createStatement()) {
                sql.execute("CREATE ROLE devstack_check LOGIN PASSWORD 'right-password'");
            }
            try (Connection ok = DriverManager.getConnection(pg.jdbcUrl("appdb"), "devstack_check", "right-password")) {
                assertThat(ok.isValid(2)).isTrue();
            }
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("appdb"), "devstack_check", "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void externalUrlIsParsedIntoItsParts() {
        PostgresServer pg = PostgresServer.external("postgresql://admin:s3cret@db.local:6543/inventory");
        assertThat(pg.host()).isEqualTo("db.local");
        assertThat(pg.port()).isEqualTo(6543);
        assertThat(pg.superuser()).isEqualTo("admin");
        assertThat(pg.superuserPassword()).isEqualTo("s3cret");
        assertThat(pg.defaultDatabase()).isEqualTo("inventory");
        assertThat(pg.jdbcUrl("x")).isEqualTo("jdbc:postgresql://db.local:6543/x");
    }
}
