package dev.rekey.worker.rotation;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.target.SystemGates;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
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

/** The consumer side: poison records, and many rotations at once against one bounded system. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class RotationConsumerTest {

    @Inject
    SystemGates gates;

    @Test
    void garbageRecordGoesToTheDeadLetterQueueAndTheNextRotationStillRuns() throws Exception {
        String garbageKey = "garbage-" + UUID.randomUUID();
        String garbage = "{\"rotationId\": \"" + garbageKey + "\", not json";
        KafkaIo.send(Topics.ROTATION_DUE_URGENT, garbageKey, garbage);
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        credential.requestUrgent(credential.due(rotationId, false));

        ConsumerRecord<String, String> dead = KafkaIo.await(List.of(Topics.deadLetter(Topics.ROTATION_DUE_URGENT)),
                r -> garbageKey.equals(r.key()), 1, RotationWorkerTest.WAIT).get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(KafkaIo.header(dead, "dead-letter-reason")).contains("not a valid RotationDue")
                .doesNotContain(garbageKey);
        RotationWorkerTest.awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
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
}
