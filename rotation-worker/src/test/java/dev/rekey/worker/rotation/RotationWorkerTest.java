package dev.rekey.worker.rotation;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rotation protocol end to end: Kafka in, real PostgreSQL roles and the Vault dev server, Kafka out. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class RotationWorkerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void urgentRotationSetsVerifiesAndCommitsANewPassword() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        try (Connection liveSession = Downstream.login(credential.role(), credential.initialPassword())) {
            credential.requestUrgent(credential.due(rotationId, true));

            ConsumerRecord<String, String> record = awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
            SecretRotated event = EventJson.decode(record.value(), SecretRotated.class);
            TestVault.Current current = credential.current();
            String newPassword = current.data().get("password");

            assertThat(event.version()).isEqualTo(2);
            assertThat(event.previousVersion()).isEqualTo(1);
            assertThat(event.vaultPath()).isEqualTo(credential.vaultPath());
            assertThat(current.version()).isEqualTo(2);
            assertThat(newPassword).matches("[A-Za-z0-9]{32}").isNotEqualTo(credential.initialPassword());
            assertThat(current.data()).containsEntry("rotation_id", rotationId.toString())
                    .containsEntry("username", credential.role()).containsEntry("note", "kept across rotations");
            assertThat(Downstream.logsIn(credential.role(), newPassword)).isTrue();
            assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isFalse();
            assertThat(TestVault.customMetadata(TestCredential.MOUNT, credential.vaultPath()))
                    .as("the rotation record, and the keys that were there")
                    .containsEntry("rekey_r_" + rotationId, "2")
                    .containsEntry("team", "billing");
            assertThat(credential.pending()).as("a tombstone replaced the pending record").isNull();
            assertThat(credential.versionsOf(rotationId)).isEqualTo(1);
            assertThat(event.activeUsername()).isEqualTo(credential.role());
            assertThat(liveSession.isValid(2)).as("the user's live session was ended").isFalse();

            assertThat(record.key()).isEqualTo(credential.id());
            assertThat(KafkaIo.header(record, "ce_id")).isEqualTo(rotationId + ":rotated");
            assertThat(KafkaIo.header(record, "ce_type")).isEqualTo(EventTypes.SECRET_ROTATED);
            assertThat(KafkaIo.header(record, "ce_source")).isEqualTo(EventTypes.SOURCE_WORKER);
            assertThat(KafkaIo.header(record, "ce_subject")).isEqualTo(credential.id());
            assertNoSecretIn(record, newPassword, credential.initialPassword());
        }
    }

    @Test
    void redeliveredRotationReEmitsTheCommittedVersionWithoutWritingANewOne() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        RotationDue due = credential.due(rotationId, false);
        credential.requestUrgent(due);
        awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
        TestVault.Current afterFirst = credential.current();

        credential.requestUrgent(due);

        List<ConsumerRecord<String, String>> records = KafkaIo.await(List.of(Topics.SECRET_ROTATED),
                r -> credential.id().equals(r.key()) && r.value().contains(rotationId.toString()), 2, WAIT);
        SecretRotated replay = EventJson.decode(records.get(1).value(), SecretRotated.class);
        assertThat(replay.version()).isEqualTo(afterFirst.version()).isEqualTo(2);
        assertThat(KafkaIo.header(records.get(1), "ce_id")).isEqualTo(KafkaIo.header(records.get(0), "ce_id"));
        TestVault.Current afterReplay = credential.current();
        assertThat(afterReplay.version()).isEqualTo(afterFirst.version());
        assertThat(afterReplay.data().get("password")).isEqualTo(afterFirst.data().get("password"));
    }

    @Test
    void crashAfterSetIsRecoveredByCommittingExactlyThePendingValue() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        String pendingValue = writePending(credential, rotationId.toString(), Duration.ZERO);
        Downstream.alterPassword(credential.role(), pendingValue); // the worker died after set, before commit
        assertThat(Downstream.logsIn(credential.role(), pendingValue)).as("invariant: pending logs in").isTrue();

        credential.requestUrgent(credential.due(rotationId, false));

        SecretRotated event = EventJson.decode(
                awaitResult(Topics.SECRET_ROTATED, credential, rotationId).value(), SecretRotated.class);
        TestVault.Current current = credential.current();
        assertThat(event.version()).isEqualTo(2);
        assertThat(current.data()).containsEntry("password", pendingValue);
        assertThat(Downstream.logsIn(credential.role(), pendingValue)).isTrue();
        assertThat(credential.pending()).isNull();
    }

    @Test
    void crashAfterPrepareIsRecoveredWithThePendingValueNotANewOne() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        String pendingValue = writePending(credential, rotationId.toString(), Duration.ZERO);

        credential.requestUrgent(credential.due(rotationId, false));

        awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
        assertThat(credential.current().data()).containsEntry("password", pendingValue);
        assertThat(Downstream.logsIn(credential.role(), pendingValue)).isTrue();
        assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isFalse();
    }

    @Test
    void abandonedPendingValueOfAnotherRotationThatLogsInIsCommittedBeforeRotating() throws Exception {
        TestCredential credential = TestCredential.create(4);
        String otherRotation = UUID.randomUUID().toString();
        String otherValue = writePending(credential, otherRotation, Duration.ofHours(1));
        Downstream.alterPassword(credential.role(), otherValue); // that rotation set its value and died

        UUID rotationId = UUID.randomUUID();
        credential.requestUrgent(credential.due(rotationId, false));

        SecretRotated event = EventJson.decode(
                awaitResult(Topics.SECRET_ROTATED, credential, rotationId).value(), SecretRotated.class);
        assertThat(event.version()).isEqualTo(3);
        assertThat(event.previousVersion()).isEqualTo(2);
        Map<String, String> adopted = TestVault.vault().logical().read(credential.logicalPath(), false, 2).getData();
        assertThat(adopted).containsEntry("password", otherValue).containsEntry("rotation_id", otherRotation);
        String newPassword = credential.current().data().get("password");
        assertThat(Downstream.logsIn(credential.role(), newPassword)).isTrue();
        assertThat(Downstream.logsIn(credential.role(), otherValue)).isFalse();
        assertThat(credential.pending()).isNull();
    }

    @Test
    void abandonedPendingValueOfAnotherRotationIsFinishedFirstEvenIfItNeverReachedTheDownstream() throws Exception {
        TestCredential credential = TestCredential.create(4);
        String otherRotation = UUID.randomUUID().toString();
        String otherValue = writePending(credential, otherRotation, Duration.ofHours(1));

        UUID rotationId = UUID.randomUUID();
        credential.requestUrgent(credential.due(rotationId, false));

        SecretRotated event = EventJson.decode(
                awaitResult(Topics.SECRET_ROTATED, credential, rotationId).value(), SecretRotated.class);
        // the other rotation's value may have been in force: it is set and committed, never just dropped
        assertThat(event.version()).isEqualTo(3);
        Map<String, String> adopted = TestVault.vault().logical().read(credential.logicalPath(), false, 2).getData();
        assertThat(adopted).containsEntry("password", otherValue).containsEntry("rotation_id", otherRotation);
        assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
        assertThat(credential.pending()).isNull();
    }

    @Test
    void pendingRecordOfARotationInProgressIsWaitedForUntilItsLeaseRunsOut() throws Exception {
        TestCredential credential = TestCredential.create(4);
        writePending(credential, UUID.randomUUID().toString(), Duration.ofMillis(-1500)); // another run holds it

        UUID rotationId = UUID.randomUUID();
        long start = System.nanoTime();
        credential.requestUrgent(credential.due(rotationId, false));

        awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
    }

    @Test
    void wrongAdminPasswordFailsTheRotationAndKeepsTheOldPasswordWorking() throws Exception {
        String systemId = "pg-" + UUID.randomUUID();
        TestCredential.seedAdmin(systemId, Downstream.server().superuser(), "not-the-admin-password");
        TestCredential credential = TestCredential.create(systemId, 2);
        UUID rotationId = UUID.randomUUID();

        credential.requestUrgent(credential.due(rotationId, false));

        ConsumerRecord<String, String> record = awaitResult(Topics.ROTATION_FAILED, credential, rotationId);
        RotationFailed event = EventJson.decode(record.value(), RotationFailed.class);
        assertThat(event.oldCredential()).isEqualTo(dev.rekey.events.OldCredential.VALID);
        assertThat(event.finalAttempt()).isTrue();
        assertThat(event.step()).isEqualTo("set");
        assertThat(event.reason()).contains("admin login");
        assertThat(KafkaIo.header(record, "ce_id")).isEqualTo(rotationId + ":failed");
        assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isTrue();
        assertThat(credential.current().version()).isEqualTo(1);
        assertThat(credential.pending()).as("the unused pending value is dropped").isNull();
        assertThat(event.attempts()).isEqualTo(1);
        assertNoSecretIn(record, credential.initialPassword(), "not-the-admin-password");
    }

    @Test
    void unreachableDownstreamFailsBeforeAnythingIsWrittenAndIsRetriedLater() throws Exception {
        TestCredential credential = TestCredential.create(4);
        RotationDue.Target unreachable = new RotationDue.Target("postgresql", "127.0.0.1", freePort(), "postgres",
                credential.target().adminSecretPath(), 4);
        UUID rotationId = UUID.randomUUID();
        RotationDue due = new RotationDue(rotationId, credential.id(), dev.rekey.events.Cause.breach(UUID.randomUUID()),
                new RotationDue.Credential("postgresql-role", TestCredential.MOUNT, credential.vaultPath(),
                        credential.role(), "pg-unreachable-" + UUID.randomUUID()),
                unreachable, new RotationDue.Policy("password:32", "in-place"),
                new dev.rekey.events.OwnerRef("owner-1", "owner@example.test"), false, java.time.Instant.now());

        credential.requestUrgent(due);

        ConsumerRecord<String, String> record = awaitResult(Topics.ROTATION_FAILED, credential, rotationId);
        RotationFailed event = EventJson.decode(record.value(), RotationFailed.class);
        assertThat(event.finalAttempt()).as("retried later, until the horizon").isFalse();
        assertThat(event.attempts()).isEqualTo(1);
        assertThat(event.step()).isEqualTo("prepare");
        assertThat(event.oldCredential()).as("could not be checked").isEqualTo(dev.rekey.events.OldCredential.UNKNOWN);
        assertThat(event.reason()).contains("unreachable");
        assertThat(KafkaIo.header(record, "ce_id")).isEqualTo(rotationId + ":failed:1");
        ConsumerRecord<String, String> retry = KafkaIo.await(List.of(Topics.ROTATION_DUE_RETRY),
                r -> r.value().contains(rotationId.toString()), 1, WAIT).get(0);
        assertThat(retry.key()).isEqualTo(due.recordKey());
        assertThat(KafkaIo.header(retry, "rekey-attempts")).isEqualTo("1");
        assertThat(Long.parseLong(KafkaIo.header(retry, "rekey-retry-at")))
                .isGreaterThan(Long.parseLong(KafkaIo.header(retry, "rekey-first-failure-at")));
        assertThat(credential.current().version()).isEqualTo(1);
        assertThat(credential.pending()).as("the system did not answer a login: nothing was written").isNull();
    }

    @Test
    void missingSecretFailsFinalWithoutTouchingTheDownstream() throws Exception {
        TestCredential credential = TestCredential.create(4);
        RotationDue real = credential.due(UUID.randomUUID(), false);
        RotationDue missing = new RotationDue(real.rotationId(), real.credentialId(), real.cause(),
                new RotationDue.Credential("postgresql-role", TestCredential.MOUNT, "apps/nowhere-" + UUID.randomUUID(),
                        credential.role(), credential.systemId()), real.target(), real.policy(), real.owner(),
                false, real.requestedAt());

        credential.requestUrgent(missing);

        RotationFailed event = EventJson.decode(
                awaitResult(Topics.ROTATION_FAILED, credential, real.rotationId()).value(), RotationFailed.class);
        assertThat(event.step()).isEqualTo("prepare");
        assertThat(event.reason()).startsWith("secret not found in Vault at secret/apps/nowhere-");
        assertThat(event.finalAttempt()).isTrue();
        assertThat(event.oldCredential()).isEqualTo(dev.rekey.events.OldCredential.UNKNOWN);
        assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isTrue();
    }

    @Test
    void scheduledRotationRotatesFromItsOwnTopic() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();

        credential.requestScheduled(credential.due(rotationId, false));

        awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
        assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
    }

    static ConsumerRecord<String, String> awaitResult(String topic, TestCredential credential, UUID rotationId) {
        return KafkaIo.await(List.of(topic),
                r -> credential.id().equals(r.key()) && r.value().contains(rotationId.toString()), 1, WAIT).get(0);
    }

    /**
     * A pending record as a worker writes it, whose lease ran out {@code leaseEndedAgo} ago (negative: it still runs
     * that long); returns its value.
     */
    static String writePending(TestCredential credential, String rotationId, Duration leaseEndedAgo) throws Exception {
        String value = "Pending" + UUID.randomUUID().toString().replace("-", "");
        TestVault.write(TestCredential.MOUNT + "/rekey-pending/" + credential.vaultPath(), new HashMap<>(Map.of(
                "rotation_id", rotationId, "username", credential.role(), "password", value,
                "base_version", "1", "holder", "a-worker-that-died",
                "lease_until", java.time.Instant.now().minus(leaseEndedAgo).toString())));
        return value;
    }

    static void assertNoSecretIn(ConsumerRecord<String, String> record, String... secrets) {
        for (String secret : secrets) {
            assertThat(record.value()).doesNotContain(secret);
            assertThat(KafkaIo.allHeaders(record)).doesNotContain(secret);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
