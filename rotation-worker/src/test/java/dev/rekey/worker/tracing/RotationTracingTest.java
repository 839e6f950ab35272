package dev.rekey.worker.tracing;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rotation-due that carries a W3C traceparent, through the real broker, the Vault dev server and a real PostgreSQL
 * role: the rotation is a span of that trace, each protocol step a child of it, and secret-rotated carries the
 * rotation span's context; no span attribute holds a value.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class RotationTracingTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aTracedRequestYieldsARotationSpanWithStepChildrenAndAResultInTheSameTrace() throws Exception {
        TestCredential credential = TestCredential.create(4);
        UUID rotationId = UUID.randomUUID();
        String traceId = hex(16);
        String parentSpanId = hex(8);
        RotationDue due = credential.due(rotationId, false);
        ProducerRecord<String, String> request = new ProducerRecord<>(Topics.ROTATION_DUE_URGENT, due.recordKey(),
                EventJson.encode(due));
        request.headers().add("traceparent", ("00-" + traceId + "-" + parentSpanId + "-01")
                .getBytes(StandardCharsets.UTF_8));

        KafkaIo.sendAll(List.of(request));

        ConsumerRecord<String, String> result = KafkaIo.await(List.of(Topics.SECRET_ROTATED),
                r -> credential.id().equals(r.key()) && r.value().contains(rotationId.toString()), 1, WAIT).get(0);
        String[] resultContext = KafkaIo.header(result, "traceparent").split("-");
        assertThat(resultContext[1]).as("secret-rotated is in the request's trace").isEqualTo(traceId);

        SpanData rotation = await().atMost(WAIT).until(() -> rotationSpan(rotationId), span -> span != null);
        assertThat(rotation.getTraceId()).isEqualTo(traceId);
        assertThat(rotation.getParentSpanId()).as("parented to the request's span").isEqualTo(parentSpanId);
        assertThat(resultContext[2]).as("the result names the rotation span").isEqualTo(rotation.getSpanId());
        assertThat(rotation.getAttributes().get(AttributeKey.stringKey("rekey.outcome"))).isEqualTo("rotated");
        assertThat(rotation.getAttributes().get(AttributeKey.stringKey("rekey.credential_id")))
                .isEqualTo(credential.id());

        List<SpanData> steps = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(rotation.getSpanId())).toList();
        assertThat(steps).extracting(SpanData::getName)
                .as("one child span per protocol step, in order")
                .containsSubsequence("read", "prepare", "set", "test", "record", "commit", "cleanup", "report");
        assertThat(steps).allSatisfy(step -> assertThat(step.getTraceId()).isEqualTo(traceId));

        String newPassword = credential.current().data().get("password");
        List<String> attributeValues = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .flatMap(s -> s.getAttributes().asMap().values().stream().map(String::valueOf)).toList();
        assertThat(attributeValues).isNotEmpty()
                .noneMatch(value -> value.contains(newPassword) || value.contains(credential.initialPassword()));
    }

    private SpanData rotationSpan(UUID rotationId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> rotationId.toString().equals(s.getAttributes().get(AttributeKey.stringKey("rekey.rotation_id"))))
                .findFirst().orElse(null);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
