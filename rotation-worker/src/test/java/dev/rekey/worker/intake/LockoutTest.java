package dev.rekey.worker.intake;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.CrashingSteps;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.PausableProxy;
import dev.rekey.worker.testing.ProxiedVaultResource;
import dev.rekey.worker.testing.ResultLog;
import dev.rekey.worker.testing.TargetCredential;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestTarget;
import dev.rekey.worker.testing.TestVault;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lockout cases of the issue, tried as a user would: a campaign during which PostgreSQL stops answering for
 * 30 s, and one during which Vault does for 35 s. The retry horizon is shorter than the pause here (8 s), so the
 * rotations that had not touched anything fail for good at the horizon while those whose new value may be in force
 * go on until the worker can tell. Afterwards every credential's value in Vault logs in, every rotation committed in
 * Vault was reported rotated, and no final failure says INVALID of a value that logs in. With a test target: a
 * system down for good fails its rotations at the horizon without having written anything; a rotation whose value
 * was set when its system stopped answering outlives the horizon and finishes when it answers again.
 */
@QuarkusTest
@TestProfile(LockoutTest.ShortHorizon.class)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = ProxiedVaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LockoutTest {

    private static final int CREDENTIALS = 60;
    private static final int BOUND = 8;

    public static class ShortHorizon implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rekey.worker.retry.horizon", "8s",
                    "rekey.worker.retry.max-delay", "2s",
                    "rekey.worker.retry.max-hold", "2s");
        }
    }

    @Inject
    TestTarget target;

    @Inject
    CrashingSteps steps;

    @Test
    void aSystemDownForGoodFailsItsRotationsForGoodAtTheHorizonHavingWrittenNothing() throws Exception {
        String system = "tt-gone-" + UUID.randomUUID();
        List<TargetCredential> credentials = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            credentials.add(TargetCredential.create(target, system, 2));
        }
        target.pause(system);
        try {
            java.util.Set<String> ids = new java.util.HashSet<>();
            credentials.forEach(c -> ids.add(c.id()));
            try (ResultLog outcomes = new ResultLog(ids)) {
                KafkaIo.sendAll(credentials.stream().map(c -> TargetCredential.record(c.due(UUID.randomUUID(), true)))
                        .toList());
                ResultLog.awaitUntil(() -> outcomes.failed.size() == 5, Duration.ofSeconds(90));
                for (RotationFailed failed : outcomes.failed.values()) {
                    assertThat(failed.oldCredential()).as("no login could be made").isEqualTo(OldCredential.UNKNOWN);
                    assertThat(failed.attempts()).as("retried until the horizon").isGreaterThan(1);
                    assertThat(failed.reason()).contains("did not answer");
                }
                assertThat(outcomes.rotated).isEmpty();
            }
            assertThat(target.applies(system)).isZero();
            for (TargetCredential credential : credentials) {
                assertThat(credential.current().version()).isEqualTo(1);
                assertThat(TestVault.read(TestCredential.MOUNT + "/rekey-pending/" + credential.vaultPath())).isNull();
            }
        } finally {
            target.resume(system);
        }
    }

    @Test
    void aRotationWhoseValueMayBeInForceOutlivesTheHorizonAndFinishesOnceTheSystemAnswers() throws Exception {
        String system = "tt-stalled-" + UUID.randomUUID();
        TargetCredential credential = TargetCredential.create(target, system, 2);
        UUID rotationId = UUID.randomUUID();
        steps.onceAt(rotationId, dev.rekey.worker.rotation.Step.TEST, () -> target.pause(system));
        try (ResultLog outcomes = new ResultLog(java.util.Set.of(credential.id()))) {
            credential.send(credential.due(rotationId, true));

            ResultLog.awaitUntil(() -> target.applies(system) == 1, Duration.ofSeconds(30));
            Thread.sleep(16_000); // twice the horizon
            assertThat(outcomes.failed).as("the new value may be in force: it must not end").isEmpty();
            assertThat(target.passwordOf(system, credential.user()))
                    .as("the downstream holds the pending value, which Vault keeps")
                    .isEqualTo(TestVault.read(TestCredential.MOUNT + "/rekey-pending/" + credential.vaultPath())
                            .data().get("password"));

            target.resume(system);
            ResultLog.awaitUntil(() -> outcomes.rotated.containsKey(rotationId), Duration.ofSeconds(60));
            assertThat(target.logsIn(system, credential.user(), credential.current().data().get("password"))).isTrue();
            assertThat(outcomes.failed).isEmpty();
        } finally {
            target.resume(system);
        }
    }

    @Test
    void aThirtySecondPauseOfPostgresqlMidCampaignLocksNoCredentialOut() throws Exception {
        try (PausableProxy postgres = PausableProxy.to(Downstream.server().host(), Downstream.server().port())) {
            campaign("postgresql", postgres.port(), Duration.ofSeconds(30), postgres::pause, postgres::resume);
        }
    }

    @Test
    void aThirtyFiveSecondPauseOfVaultMidCampaignLocksNoCredentialOut() throws Exception {
        campaign("vault", Downstream.server().port(), Duration.ofSeconds(35),
                () -> ProxiedVaultResource.vaultPaused().set(true), () -> ProxiedVaultResource.vaultPaused().set(false));
    }

    private void campaign(String what, int postgresPort, Duration pause, Runnable stop, Runnable start)
            throws Exception {
        String systemId = "pg-lockout-" + UUID.randomUUID();
        TestCredential.seedAdmin(systemId, Downstream.server().superuser(), Downstream.server().superuserPassword());
        List<TestCredential> credentials = new ArrayList<>();
        List<RotationDue> requests = new ArrayList<>();
        for (int i = 0; i < CREDENTIALS; i++) {
            TestCredential credential = TestCredential.create(systemId, BOUND);
            credentials.add(credential);
            RotationDue.Target through = new RotationDue.Target("postgresql", "127.0.0.1", postgresPort,
                    Downstream.server().defaultDatabase(), credential.target().adminSecretPath(), BOUND);
            requests.add(credential.due(UUID.randomUUID(), false, through));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        credentials.forEach(c -> ids.add(c.id()));
        try (ResultLog outcomes = new ResultLog(ids)) {
            KafkaIo.sendAll(requests.stream().map(due -> new ProducerRecord<>(Topics.ROTATION_DUE_URGENT,
                    due.recordKey(), EventJson.encode(due))).toList());
            ResultLog.awaitUntil(() -> outcomes.rotated.size() >= CREDENTIALS / 6, Duration.ofSeconds(60));
            int before = outcomes.rotated.size();
            stop.run();
            Thread.sleep(pause.toMillis());
            start.run();
            ResultLog.awaitUntil(() -> outcomes.done() == CREDENTIALS, Duration.ofMinutes(3));

            long finalValid = outcomes.failed.values().stream().filter(f -> f.oldCredential() == OldCredential.VALID).count();
            long finalUnknown = outcomes.failed.values().stream().filter(f -> f.oldCredential() == OldCredential.UNKNOWN).count();
            System.out.printf("%s paused %d s after %d of %d rotations: %d rotated, %d failed for good "
                            + "(oldCredential VALID %d, UNKNOWN %d, INVALID %d)%n", what, pause.toSeconds(), before,
                    CREDENTIALS, outcomes.rotated.size(), outcomes.failed.size(), finalValid, finalUnknown,
                    outcomes.failed.size() - finalValid - finalUnknown);
            for (int i = 0; i < CREDENTIALS; i++) {
                TestCredential credential = credentials.get(i);
                UUID rotationId = requests.get(i).rotationId();
                TestVault.Current current = credential.current();
                assertThat(Downstream.logsIn(credential.role(), current.data().get("password")))
                        .as("Vault's value of %s logs in", credential.id()).isTrue();
                assertThat(credential.pending()).as("no pending value left for %s", credential.id()).isNull();
                assertThat(credential.versionsOf(rotationId)).isLessThanOrEqualTo(1);
                if (credential.versionsOf(rotationId) == 1) {
                    assertThat(outcomes.rotated).as("committed in Vault, so reported rotated").containsKey(rotationId);
                    assertThat(outcomes.failed).as("and not failed").doesNotContainKey(rotationId);
                }
                RotationFailed failure = outcomes.failed.get(rotationId);
                if (failure != null) {
                    assertThat(failure.oldCredential()).as("Vault's value logs in: never reported INVALID")
                            .isNotEqualTo(OldCredential.INVALID);
                    assertThat(current.version()).as("a rotation that failed for good changed nothing").isEqualTo(1);
                }
            }
        }
    }
}
