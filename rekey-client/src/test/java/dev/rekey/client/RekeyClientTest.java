package dev.rekey.client;

import dev.rekey.devstack.testing.SharedStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The client against the devstack's real Kafka broker and Vault dev server. */
class RekeyClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestVault vault = new TestVault();
    private final TestEvents events = new TestEvents();
    private final List<RekeyClient> clients = new ArrayList<>();

    /** What a listener heard. */
    static final class Heard implements CredentialListener {
        final List<Credential> rotations = new CopyOnWriteArrayList<>();
        final List<ReloadFailure> failures = new CopyOnWriteArrayList<>();

        @Override
        public void rotated(Credential current, Credential previous) {
            rotations.add(current);
        }

        @Override
        public void reloadFailed(ReloadFailure failure) {
            failures.add(failure);
        }

        List<Long> versions() {
            return rotations.stream().map(Credential::version).toList();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RekeyClient::close);
        events.close();
    }

    private RekeyClient start(WatchedCredential w, CredentialListener listener) {
        return start(w, listener, VaultLogin.token(SharedStack.vaultToken()));
    }

    private RekeyClient start(WatchedCredential w, CredentialListener listener, VaultLogin login) {
        RekeyClient client = RekeyClient.builder()
                .kafkaBootstrapServers(SharedStack.kafkaBootstrapServers())
                .vault(SharedStack.vaultAddress(), login)
                .watch(w)
                .listener(listener)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
                .startTimeout(Duration.ofSeconds(2))
                .start();
        clients.add(client);
        // the feed has its positions once it has checked Vault after the assignment: from then on no event is missed
        await().atMost(WAIT).until(() -> client.stats().checks() >= 2);
        return client;
    }

    @Test
    void startsWithTheCurrentVersionInVaultWithoutAnyEvent() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "first-value");
        long v2 = vault.write(w, "orders_app", "second-value");

        RekeyClient client = start(w, new Heard());

        Credential current = client.current(w.credentialId());
        assertThat(current.version()).isEqualTo(v2);
        assertThat(current.username()).isEqualTo("orders_app");
        assertThat(current.secret().reveal()).isEqualTo("second-value");
        assertThat(current.toString()).doesNotContain("second-value").contains("redacted");
    }

    @Test
    void aRotationWhileTheServiceWasDownIsTakenAtTheNextStart() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        RekeyClient before = start(w, new Heard());
        before.close();
        long v2 = vault.write(w, "orders_app", "v2");
        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        RekeyClient after = start(w, new Heard());

        assertThat(after.current(w.credentialId()).version()).isEqualTo(v2);
        assertThat(after.current(w.credentialId()).secret().reveal()).isEqualTo("v2");
    }

    @Test
    void readsExactlyTheVersionTheEventNames() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        long v2 = vault.write(w, "orders_app", "v2");
        vault.write(w, "orders_app", "v3");

        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> heard.rotations.size() == 1);
        assertThat(heard.rotations.get(0).version()).isEqualTo(v2);
        assertThat(client.current(w.credentialId()).secret().reveal()).isEqualTo("v2");
    }

    @Test
    void duplicatedAndOutOfOrderEventsChangeNothing() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        long v2 = vault.write(w, "orders_app", "v2");
        long v3 = vault.write(w, "orders_app", "v3");

        events.publish(TestEvents.rotated(w, v3, "orders_app"));
        events.publish(TestEvents.rotated(w, v2, "orders_app"));
        events.publish(TestEvents.rotated(w, v3, "orders_app"));
        long v4 = vault.write(w, "orders_app", "v4");
        events.publish(TestEvents.rotated(w, v4, "orders_app"));

        await().atMost(WAIT).until(() -> client.current(w.credentialId()).version() == v4);
        assertThat(heard.versions()).containsExactly(v3, v4);
        assertThat(client.stats().eventsIgnored()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyInstanceOfAnApplicationGetsEveryEvent() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        Heard first = new Heard();
        Heard second = new Heard();
        start(w, first);
        start(w, second);
        long v2 = vault.write(w, "orders_app", "v2");

        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> first.rotations.size() == 1 && second.rotations.size() == 1);
        assertThat(first.versions()).containsExactly(v2);
        assertThat(second.versions()).containsExactly(v2);
    }

    @Test
    void followsTheUsernameOfTheAlternatingStrategy() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_a", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        long v2 = vault.write(w, "orders_b", "v2");

        events.publish(TestEvents.rotated(w, v2, "orders_b"));

        await().atMost(WAIT).until(() -> client.current(w.credentialId()).version() == v2);
        assertThat(client.current(w.credentialId()).username()).isEqualTo("orders_b");
    }

    @Test
    void eventsOfCredentialsItDoesNotWatchAreIgnored() {
        WatchedCredential w = TestVault.newCredential();
        WatchedCredential other = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        vault.write(other, "other_app", "o1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        long ignoredBefore = client.stats().eventsIgnored();

        long o2 = vault.write(other, "other_app", "o2");
        events.publish(TestEvents.rotated(other, o2, "other_app"));
        long v2 = vault.write(w, "orders_app", "v2");
        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> heard.rotations.size() == 1);
        assertThat(heard.versions()).containsExactly(v2);
        assertThat(client.stats().eventsIgnored()).isGreaterThan(ignoredBefore);
        assertThatThrownBy(() -> client.current(other.credentialId())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedRecordsAreSkippedAndTheFeedGoesOn() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);

        events.send(w.credentialId(), "dev.rekey.secret.rotated.v1", "{\"credentialId\": 42");
        events.send(w.credentialId(), "dev.rekey.secret.rotated.v1", "{\"credentialId\":\"" + w.credentialId() + "\"}");
        long v2 = vault.write(w, "orders_app", "v2");
        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> heard.rotations.size() == 1);
        assertThat(client.stats().eventsMalformed()).isEqualTo(2);
        assertThat(client.current(w.credentialId()).version()).isEqualTo(v2);
    }

    @Test
    void aDeletedVersionIsRetriedAndReportedWhileTheHeldValueStays() {
        WatchedCredential w = TestVault.newCredential();
        long v1 = vault.write(w, "orders_app", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        long v2 = vault.write(w, "orders_app", "v2");
        vault.deleteVersion(w, v2);

        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> heard.failures.size() >= 3);
        assertThat(heard.failures).allSatisfy(f -> {
            assertThat(f.credentialId()).isEqualTo(w.credentialId());
            assertThat(f.version()).isEqualTo(v2);
            assertThat(f.reason()).contains("deleted or destroyed (404)");
        });
        assertThat(heard.failures.get(2).attempt()).isEqualTo(3);
        assertThat(client.current(w.credentialId()).version()).isEqualTo(v1);
        assertThat(client.stats().credentials().get(w.credentialId()).failing()).isTrue();

        vault.undeleteVersion(w, v2);

        await().atMost(WAIT).until(() -> client.current(w.credentialId()).version() == v2);
        assertThat(heard.versions()).containsExactly(v2);
        await().atMost(WAIT).until(() -> !client.stats().credentials().get(w.credentialId()).failing());
    }

    @Test
    void permissionDeniedIsRetriedAndReportedWhileTheHeldValueStays() {
        WatchedCredential w = TestVault.newCredential();
        long v1 = vault.write(w, "orders_app", "v1");
        AtomicReference<String> token = new AtomicReference<>(SharedStack.vaultToken());
        Heard heard = new Heard();
        RekeyClient client = start(w, heard, token::get);
        long v2 = vault.write(w, "orders_app", "v2");
        token.set("revoked-token");

        events.publish(TestEvents.rotated(w, v2, "orders_app"));

        await().atMost(WAIT).until(() -> heard.failures.size() >= 2);
        assertThat(heard.failures.get(0).reason()).contains("permission denied (403)");
        assertThat(client.current(w.credentialId()).version()).isEqualTo(v1);
        assertThat(client.stats().credentials().get(w.credentialId()).reloadFailures()).isGreaterThanOrEqualTo(2);

        token.set(SharedStack.vaultToken());

        await().atMost(WAIT).until(() -> client.current(w.credentialId()).version() == v2);
    }

    @Test
    void aRotationWithoutItsEventIsFoundByTheCheck() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");
        Heard heard = new Heard();
        RekeyClient client = start(w, heard);
        // as if the event had been lost: only Vault knows
        long v2 = vault.write(w, "orders_app", "v2");

        client.checkNow();

        await().atMost(WAIT).until(() -> client.current(w.credentialId()).version() == v2);
        assertThat(heard.versions()).containsExactly(v2);
    }

    @Test
    void doesNotStartWithoutItsCredentialAndSaysWhich() {
        WatchedCredential w = TestVault.newCredential();

        assertThatThrownBy(() -> start(w, new Heard()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(w.credentialId())
                .hasMessageContaining("not found (404)");
    }

    @Test
    void doesNotStartWithATokenVaultRefuses() {
        WatchedCredential w = TestVault.newCredential();
        vault.write(w, "orders_app", "v1");

        assertThatThrownBy(() -> start(w, new Heard(), VaultLogin.token("not-a-token")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("permission denied (403)");
    }
}
