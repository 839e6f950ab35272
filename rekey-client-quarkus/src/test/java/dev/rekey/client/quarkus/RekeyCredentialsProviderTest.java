package dev.rekey.client.quarkus;

import dev.rekey.client.RekeyClient;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The provider and the pool flush in a Quarkus application with a JDBC and a reactive datasource, against the
 * devstack's PostgreSQL, Vault dev server and Kafka broker. Rotations are made here the way the worker makes them:
 * the downstream first, then Vault, then the event.
 */
@QuarkusTest
@WithTestResource(TestStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RekeyCredentialsProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Pool reactive;

    @Inject
    RekeyClient client;

    @Inject
    @Named(RekeyCredentialsProvider.NAME)
    CredentialsProvider provider;

    @Inject
    RotationObserver observer;

    @Test
    @Order(1)
    void newConnectionsLogInWithTheValueInVault() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(TestStack.ROLE_A);
        }
        assertThat(reactiveUser()).isEqualTo(TestStack.ROLE_A);
        assertThat(provider.getCredentials(TestStack.CREDENTIAL))
                .containsEntry(CredentialsProvider.USER_PROPERTY_NAME, TestStack.ROLE_A);
    }

    @Test
    @Order(2)
    void anInPlaceRotationClosesIdleConnectionsAndLetsActiveOnesFinish() throws Exception {
        Connection active = dataSource.getConnection();
        int activePid = backendPid(active);
        int idlePid;
        try (Connection idle = dataSource.getConnection()) {
            idlePid = backendPid(idle);
        }
        assertThat(alive(idlePid)).isTrue();

        long version = rotate(TestStack.ROLE_A, TestStack.ROLE_A, "second-Value-0123456789");
        await().atMost(WAIT).until(() -> client.current(TestStack.CREDENTIAL).version() == version);

        await().atMost(WAIT).until(() -> !alive(idlePid));
        // the connection in use finishes its work, then goes when it is given back
        assertThat(currentUser(active)).isEqualTo(TestStack.ROLE_A);
        assertThat(alive(activePid)).isTrue();
        active.close();
        await().atMost(WAIT).until(() -> !alive(activePid));
        try (Connection next = dataSource.getConnection()) {
            assertThat(currentUser(next)).isEqualTo(TestStack.ROLE_A);
            assertThat(backendPid(next)).isNotIn(activePid, idlePid);
        }
        assertThat(observer.seen).anySatisfy(r -> assertThat(r.current().version()).isEqualTo(version));
        assertThat(Metrics.globalRegistry.get("rekey.client.credential.version")
                .tag("credential", TestStack.CREDENTIAL).gauge().value()).isEqualTo((double) version);
    }

    @Test
    @Order(3)
    void anAlternatingRotationMovesBothPoolsToTheOtherUser() throws Exception {
        long version = rotate(TestStack.ROLE_B, TestStack.ROLE_B, "third-Value-0123456789");
        await().atMost(WAIT).until(() -> client.current(TestStack.CREDENTIAL).version() == version);

        try (Connection c = dataSource.getConnection()) {
            assertThat(currentUser(c)).isEqualTo(TestStack.ROLE_B);
        }
        // reactive connections of the previous user stay until they end; a breach ends them
        TestStack.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                + TestStack.ROLE_A + "'");
        await().atMost(WAIT).ignoreExceptions().until(() -> TestStack.ROLE_B.equals(reactiveUser()));
    }

    @Test
    @Order(4)
    void aCredentialTheApplicationDoesNotWatchIsRefused() {
        assertThatThrownBy(() -> provider.getCredentials("not-configured"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-configured");
    }

    /** Sets the password downstream, writes the next Vault version, publishes the event; returns the version. */
    private static long rotate(String role, String username, String password) throws Exception {
        TestStack.admin("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        long version = TestStack.vault().logical().write(TestStack.VAULT_PATH,
                Map.of("username", username, "password", password)).getDataObject().get("version").asLong();
        SecretRotated event = new SecretRotated(UUID.randomUUID(), TestStack.CREDENTIAL, "secret",
                "client-quarkus-tests/db", version, version - 1, username, Cause.manual(),
                new OwnerRef("team-test", "team-test@example.com"), Instant.now(), 10);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECRET_ROTATED,
                    TestStack.CREDENTIAL, EventJson.encode(event));
            record.headers().add("ce_type", EventTypes.SECRET_ROTATED.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        return version;
    }

    private String reactiveUser() {
        return reactive.query("SELECT current_user").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean alive(int pid) throws SQLException {
        try (Connection c = SharedStack.postgres().connect(TestStack.DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
