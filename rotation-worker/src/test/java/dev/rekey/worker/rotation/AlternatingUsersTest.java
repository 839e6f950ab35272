package dev.rekey.worker.rotation;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.CrashingSteps;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alternating strategy on real PostgreSQL roles: the user Vault does not name is rotated, then Vault's value
 * switches to it; the previous user keeps working (its consumers reload on secret-rotated) unless the rotation is a
 * breach, which gives the previous user a random value kept nowhere and ends its sessions once the switch grace
 * is over.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class AlternatingUsersTest {

    @Inject
    CrashingSteps crashes;

    /** Two roles; Vault names the first. */
    record Pair(String id, String systemId, String vaultPath, String first, String firstPassword, String second,
                String secondPassword) {

        static Pair create() throws Exception {
            String systemId = "pg-alt-" + UUID.randomUUID();
            TestCredential.seedAdmin(systemId, Downstream.server().superuser(), Downstream.server().superuserPassword());
            String firstPassword = "First" + UUID.randomUUID().toString().replace("-", "");
            String secondPassword = "Second" + UUID.randomUUID().toString().replace("-", "");
            String first = Downstream.createRole(firstPassword);
            String second = Downstream.createRole(secondPassword);
            String id = "cred-alt-" + UUID.randomUUID();
            String vaultPath = "apps/" + id + "/db";
            TestVault.write(TestCredential.MOUNT + "/" + vaultPath,
                    new HashMap<>(Map.of("username", first, "password", firstPassword)));
            return new Pair(id, systemId, vaultPath, first, firstPassword, second, secondPassword);
        }

        RotationDue due(UUID rotationId, boolean breach) {
            return new RotationDue(rotationId, id, breach ? Cause.breach(UUID.randomUUID()) : Cause.scheduled(),
                    new RotationDue.Credential("postgresql-role", TestCredential.MOUNT, vaultPath, first, systemId,
                            second),
                    new RotationDue.Target("postgresql", Downstream.server().host(), Downstream.server().port(),
                            Downstream.server().defaultDatabase(), TestCredential.adminPath(systemId), 2),
                    new RotationDue.Policy("password:32", "alternating"), new OwnerRef("owner-1", "o@example.test"),
                    breach, Instant.now());
        }

        void request(RotationDue due) throws Exception {
            KafkaIo.send(due.cause().type() == dev.rekey.events.CauseType.SCHEDULED ? Topics.ROTATION_DUE
                    : Topics.ROTATION_DUE_URGENT, due.recordKey(), EventJson.encode(due));
        }

        SecretRotated awaitRotated(UUID rotationId) {
            ConsumerRecord<String, String> record = KafkaIo.await(List.of(Topics.SECRET_ROTATED),
                    r -> id.equals(r.key()) && r.value().contains(rotationId.toString()), 1,
                    RotationWorkerTest.WAIT).get(0);
            return EventJson.decode(record.value(), SecretRotated.class);
        }

        TestVault.Current current() throws Exception {
            return TestVault.read(TestCredential.MOUNT + "/" + vaultPath);
        }
    }

    @Test
    void theInactiveUserIsRotatedAndVaultSwitchesToItWhileThePreviousUserStillLogsIn() throws Exception {
        Pair pair = Pair.create();
        UUID rotationId = UUID.randomUUID();

        pair.request(pair.due(rotationId, false));

        SecretRotated event = pair.awaitRotated(rotationId);
        TestVault.Current current = pair.current();
        assertThat(event.activeUsername()).isEqualTo(pair.second());
        assertThat(current.data()).containsEntry("username", pair.second());
        assertThat(Downstream.logsIn(pair.second(), current.data().get("password"))).isTrue();
        assertThat(Downstream.logsIn(pair.second(), pair.secondPassword())).isFalse();
        assertThat(Downstream.logsIn(pair.first(), pair.firstPassword()))
                .as("consumers that have not reloaded yet keep working").isTrue();

        UUID next = UUID.randomUUID();
        pair.request(pair.due(next, false));

        assertThat(pair.awaitRotated(next).activeUsername()).isEqualTo(pair.first());
        TestVault.Current back = pair.current();
        assertThat(back.data()).containsEntry("username", pair.first());
        assertThat(Downstream.logsIn(pair.first(), back.data().get("password"))).isTrue();
        assertThat(Downstream.logsIn(pair.second(), current.data().get("password"))).isTrue();
    }

    @Test
    void aBreachAlsoGivesThePreviousUserAValueKeptNowhereAndEndsItsSessions() throws Exception {
        Pair pair = Pair.create();
        UUID rotationId = UUID.randomUUID();
        try (Connection attacker = Downstream.login(pair.first(), pair.firstPassword())) {
            pair.request(pair.due(rotationId, true));

            SecretRotated event = pair.awaitRotated(rotationId);

            assertThat(event.activeUsername()).isEqualTo(pair.second());
            assertThat(Downstream.logsIn(pair.second(), pair.current().data().get("password"))).isTrue();
            // the switch grace (1 s in tests): the previous user's consumers reload before it is ended
            assertThat(Downstream.logsIn(pair.first(), pair.firstPassword())).as("within the grace").isTrue();
            await().atMost(RotationWorkerTest.WAIT)
                    .until(() -> !Downstream.logsIn(pair.first(), pair.firstPassword()));
            assertThat(Duration.between(event.rotatedAt(), Instant.now())).as("ended after the grace")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(attacker.isValid(2)).as("the attacker's session was ended").isFalse();
            assertThat(Downstream.logsIn(pair.second(), pair.current().data().get("password"))).isTrue();
        }
    }

    @Test
    void aBreachStoppedBeforeTheScrambleFinishesItWhenDeliveredAgain() throws Exception {
        Pair pair = Pair.create();
        UUID rotationId = UUID.randomUUID();
        crashes.crashAt(rotationId, Step.SCRAMBLE);

        pair.request(pair.due(rotationId, true));

        SecretRotated event = pair.awaitRotated(rotationId);
        assertThat(event.activeUsername()).isEqualTo(pair.second());
        assertThat(TestVault.versionsCarrying(TestCredential.MOUNT + "/" + pair.vaultPath(), rotationId.toString()))
                .isEqualTo(1);
        await().atMost(RotationWorkerTest.WAIT).until(() -> crashes.crashed(rotationId)
                && !Downstream.logsIn(pair.first(), pair.firstPassword()));
        assertThat(Downstream.logsIn(pair.second(), pair.current().data().get("password"))).isTrue();
        assertThat(TestVault.versionsCarrying(TestCredential.MOUNT + "/" + pair.vaultPath(), rotationId.toString()))
                .isEqualTo(1);
    }
}
