package dev.rekey.worker.intake;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.target.SystemGates;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.worker.testing.TargetCredential;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestTarget;
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
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer side against the real broker: poison records, many rotations against one bounded system, urgent
 * before scheduled, a system that does not answer holding up no other, bad requests failing at once.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class IntakeTest {

    @Inject
    SystemGates gates;

    @Inject
    TestTarget target;

    @Test
    void garbageRecordGoesToTheDeadLetterQueueAndTheNextRotationStillRuns() throws Exception {
        String garbageKey = "garbage-" + UUID.randomUUID();
        String garbage = "{\"rotationId\": \"" + garbageKey + "\", not json";
        KafkaIo.send(Topics.ROTATION_DUE_URGENT, garbageKey, garbage);
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        credential.requestUrgent(credential.due(rotationId, false));

        ConsumerRecord<String, String> dead = KafkaIo.await(List.of(Topics.deadLetter(Topics.ROTATION_DUE_URGENT)),
                r -> garbageKey.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(KafkaIo.header(dead, "dead-letter-reason")).contains("not a valid RotationDue")
                .doesNotContain(garbageKey);
        KafkaIo.await(List.of(Topics.SECRET_ROTATED), r -> credential.id().equals(r.key()) && r.value().contains(rotationId.toString()), 1, Duration.ofSeconds(30));
        assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
    }

    @Test
    void twentyRotationsAgainstASystemBoundedToTwoAllSucceedAndNeverExceedTwo() throws Exception {
        String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");
        String adminRole = Downstream.createAdminRole(adminPassword);
        String systemId = "pg-bounded-" + UUID.randomUUID();
        TestCredential.seedAdmin(systemId, adminRole, adminPassword);
        List<TestCredential> credentials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            credentials.add(TestCredential.create(systemId, 2));
        }
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger mostAdminSessions = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try (Connection superuser = Downstream.server().connect(Downstream.server().defaultDatabase())) {
                while (sampling.get()) {
                    mostAdminSessions.accumulateAndGet(Downstream.sessionsOf(superuser, adminRole), Math::max);
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                mostAdminSessions.set(-1); // fails the assertion below: the sampling did not work
            }
        });
        sampler.start();

        long start = System.nanoTime();
        for (TestCredential credential : credentials) {
            credential.requestUrgent(credential.due(UUID.randomUUID(), false));
        }
        Set<String> ids = credentials.stream().map(TestCredential::id).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> rotated = KafkaIo.await(List.of(Topics.SECRET_ROTATED),
                r -> ids.contains(r.key()), 20, Duration.ofSeconds(60));
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        sampling.set(false);
        sampler.join();

        for (TestCredential credential : credentials) {
            assertThat(credential.current().version()).isEqualTo(2);
            assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
            assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isFalse();
        }
        assertThat(gates.peak(systemId)).isBetween(1, 2);
        assertThat(mostAdminSessions.get()).isBetween(1, 2);
        LongSummaryStatistics durations = rotated.stream()
                .mapToLong(r -> EventJson.decode(r.value(), SecretRotated.class).durationMs()).summaryStatistics();
        System.out.printf("rotation timings: 20 rotations, bound 2, wall %d ms, per rotation min %d avg %.1f max %d ms"
                        + " (including waiting for a slot), peak %d%n", wallMs, durations.getMin(),
                durations.getAverage(), durations.getMax(), gates.peak(systemId));
    }

    @Test
    void urgentRotationsOfASystemGoBeforeItsQueuedScheduledOnes() throws Exception {
        String system = "tt-priority-" + UUID.randomUUID();
        List<TargetCredential> scheduled = new ArrayList<>();
        List<TargetCredential> urgent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            scheduled.add(TargetCredential.create(target, system, 1));
        }
        for (int i = 0; i < 3; i++) {
            urgent.add(TargetCredential.create(target, system, 1));
        }
        target.callMillis(100);
        try {
            KafkaIo.sendAll(scheduled.stream().map(c -> TargetCredential.record(c.due(UUID.randomUUID(), false)))
                    .toList());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> target.applies(system) >= 1);
            KafkaIo.sendAll(urgent.stream().map(c -> TargetCredential.record(c.due(UUID.randomUUID(), true)))
                    .toList());
            Set<String> ids = new java.util.HashSet<>();
            scheduled.forEach(c -> ids.add(c.id()));
            urgent.forEach(c -> ids.add(c.id()));
            List<SecretRotated> rotated = KafkaIo.await(List.of(Topics.SECRET_ROTATED), r -> ids.contains(r.key()),
                    15, Duration.ofSeconds(90)).stream()
                    .map(r -> EventJson.decode(r.value(), SecretRotated.class)).toList();

            Set<String> urgentIds = urgent.stream().map(TargetCredential::id).collect(Collectors.toSet());
            List<java.time.Instant> scheduledTimes = rotated.stream().filter(e -> !urgentIds.contains(e.credentialId()))
                    .map(SecretRotated::rotatedAt).sorted().toList();
            java.time.Instant lastUrgent = rotated.stream().filter(e -> urgentIds.contains(e.credentialId()))
                    .map(SecretRotated::rotatedAt).max(java.util.Comparator.naturalOrder()).orElseThrow();
            long scheduledBefore = scheduledTimes.stream().filter(t -> t.isBefore(lastUrgent)).count();
            System.out.printf("priority: %d of 12 scheduled rotations finished before the last of 3 urgent ones%n",
                    scheduledBefore);
            assertThat(scheduledBefore).as("only what already ran when the urgent ones came").isLessThanOrEqualTo(2);
            assertThat(target.mostAtOnce(system)).isEqualTo(1);
        } finally {
            target.callMillis(0);
        }
    }

    @Test
    void aSystemThatDoesNotAnswerHoldsUpNoOtherSystemAndItsRotationsWaitForIt() throws Exception {
        String down = "tt-down-" + UUID.randomUUID();
        String up = "tt-up-" + UUID.randomUUID();
        List<TargetCredential> onDown = new ArrayList<>();
        List<TargetCredential> onUp = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            onDown.add(TargetCredential.create(target, down, 2));
            onUp.add(TargetCredential.create(target, up, 2));
        }
        target.pause(down);
        for (int i = 0; i < 6; i++) {
            onDown.get(i).send(onDown.get(i).due(UUID.randomUUID(), true));
            onUp.get(i).send(onUp.get(i).due(UUID.randomUUID(), true));
        }
        Set<String> upIds = onUp.stream().map(TargetCredential::id).collect(Collectors.toSet());
        Set<String> downIds = onDown.stream().map(TargetCredential::id).collect(Collectors.toSet());

        KafkaIo.await(List.of(Topics.SECRET_ROTATED), r -> upIds.contains(r.key()), 6, Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> retrying = KafkaIo.await(List.of(Topics.ROTATION_FAILED),
                r -> downIds.contains(r.key()), 1, Duration.ofSeconds(60));
        RotationFailed failure = EventJson.decode(retrying.get(0).value(), RotationFailed.class);
        assertThat(failure.finalAttempt()).isFalse();
        assertThat(failure.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        assertThat(failure.reason()).contains("did not answer");
        for (TargetCredential credential : onUp) {
            assertThat(target.logsIn(up, credential.user(), credential.current().data().get("password"))).isTrue();
        }
        assertThat(target.applies(down)).as("nothing was set on the system that does not answer").isZero();

        target.resume(down);
        KafkaIo.await(List.of(Topics.SECRET_ROTATED), r -> downIds.contains(r.key()), 6, Duration.ofSeconds(90));
        for (TargetCredential credential : onDown) {
            assertThat(target.logsIn(down, credential.user(), credential.current().data().get("password"))).isTrue();
        }
    }

    @Test
    void badRequestsFailFinalAtOnceWithAPreciseReasonAndChangeNothing() throws Exception {
        TestCredential missingAdmin = TestCredential.create(2);
        RotationDue.Target nowhere = new RotationDue.Target("postgresql", Downstream.server().host(),
                Downstream.server().port(), Downstream.server().defaultDatabase(),
                "secret/rekey/systems/missing-" + UUID.randomUUID(), 2);
        UUID first = UUID.randomUUID();
        missingAdmin.requestUrgent(missingAdmin.due(first, false, nowhere));

        TargetCredential wrongType = TargetCredential.create(target, "tt-bad-" + UUID.randomUUID(), 2);
        RotationDue typed = wrongType.due(UUID.randomUUID(), true);
        RotationDue mainframe = new RotationDue(typed.rotationId(), typed.credentialId(), typed.cause(),
                typed.credential(), new RotationDue.Target("mainframe", "m.invalid", 1, null, "secret/none", 2),
                typed.policy(), typed.owner(), false, typed.requestedAt());
        wrongType.send(mainframe);
        TargetCredential badSettings = TargetCredential.create(target, "tt-bad-" + UUID.randomUUID(), 2);
        RotationDue plain = badSettings.due(UUID.randomUUID(), true);
        RotationDue misfit = new RotationDue(plain.rotationId(), plain.credentialId(), plain.cause(),
                plain.credential(), new RotationDue.Target(TestTarget.TYPE, "t.invalid", 1, TestTarget.BAD_SETTINGS,
                "secret/none", 2), plain.policy(), plain.owner(), false, plain.requestedAt());
        badSettings.send(misfit);

        RotationFailed admin = finalFailure(missingAdmin.id(), first);
        assertThat(admin.reason()).contains("admin login for PostgreSQL system").contains("not found in Vault");
        assertThat(admin.oldCredential()).isEqualTo(OldCredential.VALID);
        assertThat(admin.attempts()).isEqualTo(1);
        assertThat(missingAdmin.current().version()).isEqualTo(1);
        assertThat(missingAdmin.pending()).isNull();
        assertThat(Downstream.logsIn(missingAdmin.role(), missingAdmin.initialPassword())).isTrue();

        RotationFailed type = finalFailure(wrongType.id(), mainframe.rotationId());
        assertThat(type.reason()).isEqualTo("unsupported target type mainframe");
        assertThat(type.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        RotationFailed settings = finalFailure(badSettings.id(), misfit.rotationId());
        assertThat(settings.reason()).isEqualTo("settings do not fit a test-target system: database bad-settings");
        assertThat(wrongType.current().version()).isEqualTo(1);
        assertThat(badSettings.current().version()).isEqualTo(1);
        assertThat(target.logsIn(badSettings.systemId(), badSettings.user(), badSettings.initialPassword())).isTrue();
    }

    private static RotationFailed finalFailure(String credentialId, UUID rotationId) {
        RotationFailed event = EventJson.decode(KafkaIo.await(List.of(Topics.ROTATION_FAILED),
                r -> credentialId.equals(r.key()) && r.value().contains(rotationId.toString()), 1,
                Duration.ofSeconds(30)).get(0).value(), RotationFailed.class);
        assertThat(event.finalAttempt()).isTrue();
        return event;
    }
}
