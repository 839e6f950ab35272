package dev.rekey.notifier.owner;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.OwnerChanged;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class OwnerCopyTest {

    @Test
    void theCopyFollowsTheTopicUpdatesReplaysAndTombstonesIncluded() {
        String id = "lena-" + unique();
        OwnerChanged first = new OwnerChanged(id, "Lena", id + "@old.example.test", null);
        OwnerChanged moved = new OwnerChanged(id, "Lena", id + "@new.example.test",
                new OwnerChanged.Channels("secret/rekey/owners/" + id + "/slack", null));
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.ownerChanged(first);
            publish.ownerChanged(moved);
            publish.ownerChanged(moved); // a replay changes nothing
            await().atMost(Duration.ofSeconds(30)).until(() -> row(id).equals(
                    List.of(id + "@new.example.test|secret/rekey/owners/" + id + "/slack")));

            publish.ownerDeleted(id);
            await().atMost(Duration.ofSeconds(30)).until(() -> row(id).isEmpty());
        }
    }

    @Test
    void anOwnersNewAddressIsWhereItsNextMessageGoesAndNotTheOneTheEventCarries() {
        String id = "mona-" + unique();
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.ownerChanged(new OwnerChanged(id, "Mona", id + "@current.example.test", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> !row(id).isEmpty());
            publish.breachReported(breach(UUID.randomUUID(), "Address check",
                    new dev.rekey.events.BreachReported.OwnerCount(id, id + "@stale.example.test", 1)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> new Mailbox(id + "@current.example.test").all().size() == 1);
        assertThat(new Mailbox(id + "@stale.example.test").all()).isEmpty();
    }

    @Test
    void anOwnerWithoutAnyChannelIsACleanFailureInTheLogAndTheMetricsNotALostMessage() {
        String id = "nobody-" + unique();
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.ownerChanged(new OwnerChanged(id, "Nobody", " ", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> !row(id).isEmpty());
            publish.breachReported(breach(UUID.randomUUID(), "Nowhere to send",
                    new dev.rekey.events.BreachReported.OwnerCount(id, " ", 1)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.deliveries(id).size() == 1);
        assertThat(NotifierDb.deliveries(id)).containsExactly("breach-alert/email/FAILED/0/no channel to deliver to");
    }

    private static List<String> row(String id) {
        return NotifierDb.strings("SELECT email || '|' || coalesce(slack_secret_path, '') FROM owners WHERE owner_id = ?", id);
    }
}
