package dev.rekey.worker.rotation;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.CrashingSteps;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rotation stopped dead before each of its steps (so between every pair of steps, and after the last), then
 * delivered again: it completes exactly once, Vault's value logs in, the old one does not, one KV version carries the
 * rotation id, no live pending record is left, the breach session is ended, and no final failure was reported.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class CrashPointTest {

    @Inject
    CrashingSteps crashes;

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"READ", "PREPARE", "PRECHECK", "SET", "TEST", "END_SESSIONS", "RECORD",
            "COMMIT", "CLEANUP", "REPORT"})
    void aRotationStoppedBeforeAStepCompletesOnceWhenDeliveredAgain(Step step) throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        crashes.crashAt(rotationId, step);
        try (Connection attacker = Downstream.login(credential.role(), credential.initialPassword())) {
            credential.requestUrgent(credential.due(rotationId, true));

            SecretRotated event = EventJson.decode(
                    RotationWorkerTest.awaitResult(Topics.SECRET_ROTATED, credential, rotationId).value(),
                    SecretRotated.class);

            assertThat(crashes.crashed(rotationId)).as("the run stopped before " + step).isTrue();
            String password = credential.current().data().get("password");
            assertThat(event.version()).isEqualTo(credential.current().version()).isEqualTo(2);
            assertThat(Downstream.logsIn(credential.role(), password)).as("Vault's value logs in").isTrue();
            assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isFalse();
            assertThat(credential.versionsOf(rotationId)).as("one KV version per rotation id").isEqualTo(1);
            assertThat(credential.pending()).as("no live pending record left").isNull();
            assertThat(attacker.isValid(2)).as("the old value's session was ended").isFalse();
        }
        List<ConsumerRecord<String, String>> failures = KafkaIo.collect(List.of(Topics.ROTATION_FAILED),
                r -> r.value().contains(rotationId.toString()), Duration.ofSeconds(1));
        assertThat(failures).allSatisfy(r ->
                assertThat(EventJson.decode(r.value(), RotationFailed.class).finalAttempt()).isFalse());
        List<ConsumerRecord<String, String>> rotated = KafkaIo.collect(List.of(Topics.SECRET_ROTATED),
                r -> r.value().contains(rotationId.toString()), Duration.ofSeconds(1));
        assertThat(rotated).extracting(r -> EventJson.decode(r.value(), SecretRotated.class).version())
                .containsOnly(2L);
    }

}
