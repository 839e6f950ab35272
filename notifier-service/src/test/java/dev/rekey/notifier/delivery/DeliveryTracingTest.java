package dev.rekey.notifier.delivery;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.OwnerRef;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import dev.rekey.notifier.support.TracingOn;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.owner;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With tracing on, through the real broker and SMTP capture: an owner's alert is sent in a span of the breach
 * report's trace, its digest in a span of the trace of the result that completed the owner's part.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class DeliveryTracingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPublisher PUBLISH = new TopicPublisher();

    @Inject
    InMemorySpanExporter spans;

    @AfterAll
    static void closePublisher() {
        PUBLISH.close();
    }

    @Test
    void theAlertIsSentInTheReportsTraceAndTheDigestInTheLastResultsTrace() {
        UUID breachId = UUID.randomUUID();
        OwnerRef alice = owner("alice");
        String reportTrace = hex(16);
        String reportSpan = hex(8);
        String resultTrace = hex(16);

        PUBLISH.traced("00-" + reportTrace + "-" + reportSpan + "-01",
                () -> PUBLISH.breachReported(breach(breachId, "traced breach", share(alice, 1))));
        PUBLISH.traced("00-" + resultTrace + "-" + hex(8) + "-01",
                () -> PUBLISH.secretRotated(rotated(breachId, alice, "alice-db-" + unique(), 2)));

        Mailbox mails = new Mailbox(alice.email());
        await().atMost(WAIT).until(() -> mails.all().size() >= 2);

        SpanData alert = await().atMost(WAIT).until(() -> delivery("breach:" + breachId + ":alert"), s -> s != null);
        assertThat(alert.getName()).isEqualTo("notify breach-alert email");
        assertThat(alert.getTraceId()).isEqualTo(reportTrace);
        assertThat(alert.getParentSpanId()).isEqualTo(reportSpan);
        assertThat(alert.getAttributes().get(AttributeKey.stringKey("rekey.outcome"))).isEqualTo("sent");

        SpanData digest = await().atMost(WAIT).until(() -> delivery("breach:" + breachId + ":digest"), s -> s != null);
        assertThat(digest.getName()).isEqualTo("notify breach-digest email");
        assertThat(digest.getTraceId()).isEqualTo(resultTrace);
    }

    private SpanData delivery(String eventKey) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> eventKey.equals(s.getAttributes().get(AttributeKey.stringKey("rekey.event_key"))))
                .findFirst().orElse(null);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
