package dev.rekey.notifier.delivery;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.OwnerRef;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.SmtpRelay;
import dev.rekey.notifier.support.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.owner;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The test profile allows 3 attempts with short backoffs (application.properties, {@code %test}). */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class DeliveryFailuresTest {

    @Test
    void anSmtpServerRefusingForAWhileLosesNoMailAndSendsNoneTwice() throws Exception {
        UUID breachId = UUID.randomUUID();
        List<OwnerRef> owners = IntStream.range(0, 5).mapToObj(i -> owner("patient" + i)).toList();
        SmtpRelay relay = SmtpRelay.shared();
        relay.mode(SmtpRelay.Mode.REFUSE);
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.breachReported(breach(breachId, "SMTP outage", owners.stream().map(o -> share(o, 1)).toList()));
            owners.forEach(o -> publish.secretRotated(rotated(breachId, o, o.ownerId() + "-db", 2)));
            await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                    "SELECT count(*) FROM deliveries WHERE breach_id = ? AND attempts > 0", breachId) >= owners.size());
        } finally {
            relay.mode(SmtpRelay.Mode.PASS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM deliveries WHERE breach_id = ? AND status = 'SENT'", breachId) == 2L * owners.size());
        Thread.sleep(3_000);
        for (OwnerRef o : owners) {
            Mailbox mailbox = new Mailbox(o.email());
            assertThat(mailbox.all()).as(o.ownerId()).hasSize(2);
            assertThat(mailbox.all().get(0).subject()).startsWith(Mailbox.REPORTED);
        }
        assertThat(NotifierDb.strings("SELECT last_error FROM deliveries WHERE breach_id = ? AND status = 'SENT'",
                breachId)).as("the last attempt succeeded").allMatch(java.util.Objects::isNull);
    }

    @Test
    void anAddressTheServerRefusesEndsFailedAfterBoundedAttemptsWithoutBlockingOthers() {
        UUID breachId = UUID.randomUUID();
        OwnerRef broken = new OwnerRef("broken-" + unique(), "not an address");
        OwnerRef olga = owner("olga");
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.breachReported(breach(breachId, "Undeliverable", share(broken, 1), share(olga, 1)));
            publish.secretRotated(rotated(breachId, broken, "broken-db-" + unique(), 2));
            publish.secretRotated(rotated(breachId, olga, "olga-db-" + unique(), 2));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> new Mailbox(olga.email()).all().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.deliveries(broken.ownerId()).size() == 2
                && NotifierDb.deliveries(broken.ownerId()).stream().allMatch(row -> row.contains("/FAILED/")));
        assertThat(NotifierDb.deliveries(broken.ownerId()))
                .allSatisfy(row -> assertThat(row).contains("/email/FAILED/3/").hasSizeGreaterThan(30));
    }
}
