package dev.rekey.inventory.outbox;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.TracingOn;
import dev.rekey.inventory.support.WorkerEvents;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * With tracing on, a breach report's trace crosses the outbox and the real broker: the rotation-due and
 * breach-reported records carry a {@code traceparent} of the report's HTTP span's trace, and the worker's result,
 * consumed back, is a span of the result's own trace.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class OutboxTracingTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theRotationDueRecordsOfABreachCarryTheTraceOfItsReport() {
        String alice = owner(unique("alice"));
        String pg = system(unique("pg"));
        String first = credential(unique("t1"), pg, alice, List.of(), List.of());
        String second = credential(unique("t2"), pg, alice, List.of(), List.of());
        String traceId = hex(16);

        String breachId = as(Tokens.incidentCommander())
                .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .body(Map.of("title", "traced breach", "selector", Map.of("credentialIds", List.of(first, second))))
                .post("/api/v1/breaches")
                .then().statusCode(202).extract().path("id");

        List<ConsumerRecord<String, String>> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                r -> List.of(first, second).contains(header(r, "ce_subject")), 2, KAFKA_WAIT);
        SpanData report = await().atMost(KAFKA_WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId))
                .findFirst().orElse(null), span -> span != null);
        assertThat(report.getName()).contains("/api/v1/breaches");
        for (ConsumerRecord<String, String> record : due) {
            assertThat(traceparents(record)).as("one traceparent header, in the report's trace").singleElement()
                    .satisfies(tp -> assertThat(traceIdOf(tp)).isEqualTo(report.getTraceId()));
        }
        ConsumerRecord<String, String> reported = KafkaRecords.read(Topics.BREACH_REPORTED,
                r -> breachId.equals(r.key()), 1, KAFKA_WAIT).get(0);
        assertThat(traceIdOf(header(reported, "traceparent"))).isEqualTo(traceId);

        // the worker's answer, in the trace of its rotation span: the result consumer's span joins that trace
        String resultTraceId = hex(16);
        RotationDue rotation = EventJson.decode(due.get(0).value(), RotationDue.class);
        ProducerRecord<String, String> result = WorkerEvents.rotatedRecord(rotation, 2, UUID.randomUUID().toString());
        result.headers().add("traceparent", ("00-" + resultTraceId + "-" + hex(8) + "-01")
                .getBytes(StandardCharsets.UTF_8));
        KafkaRecords.sendAll(List.of(result));
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/breaches/" + breachId)
                .then().body("rotated", equalTo(1)));
        await().atMost(KAFKA_WAIT).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .anySatisfy(s -> {
                    assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
                    assertThat(s.getTraceId()).isEqualTo(resultTraceId);
                }));
    }

    private static List<String> traceparents(ConsumerRecord<String, String> record) {
        return StreamSupport.stream(record.headers().headers("traceparent").spliterator(), false)
                .map(Header::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    private static String traceIdOf(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.split("-")[1];
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
