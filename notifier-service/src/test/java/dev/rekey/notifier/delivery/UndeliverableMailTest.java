package dev.rekey.notifier.delivery;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.testing.SmtpResource;
import dev.rekey.events.OwnerRef;
import dev.rekey.notifier.Mailbox;
import dev.rekey.notifier.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.rekey.notifier.Campaigns.breach;
import static dev.rekey.notifier.Campaigns.owner;
import static dev.rekey.notifier.Campaigns.rotated;
import static dev.rekey.notifier.Campaigns.share;
import static dev.rekey.notifier.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The test profile allows 3 attempts with short backoffs (application.properties, {@code %test}). */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifier_test"))
@WithTestResource(SmtpResource.class)
class UndeliverableMailTest {

    @Test
    void anAddressTheServerRefusesEndsFailedAfterBoundedAttemptsWithoutBlockingOthers() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef broken = new OwnerRef("broken-" + unique(), "not an address");
        OwnerRef frank = owner("frank");
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.breachReported(breach(breachId, "Undeliverable", share(broken, 1), share(frank, 1)));
            publish.secretRotated(rotated(breachId, broken, "broken-db-" + unique(), 2));
            publish.secretRotated(rotated(breachId, frank, "frank-db-" + unique(), 2));
        }

        Mailbox franks = new Mailbox(frank.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> franks.all().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(breachId, broken.ownerId()).stream()
                .allMatch(row -> row.startsWith("FAILED")) && deliveries(breachId, broken.ownerId()).size() == 2);

        for (String row : deliveries(breachId, broken.ownerId())) {
            assertThat(row).as("status/attempts/error").startsWith("FAILED/3/").hasSizeGreaterThan("FAILED/3/".length());
        }
        assertThat(deliveries(breachId, frank.ownerId())).allMatch(row -> row.startsWith("SENT/1/"));
    }

    /** status/attempts/last_error of one owner's deliveries in a breach. */
    private static List<String> deliveries(UUID breachId, String ownerId) throws Exception {
        try (Connection db = SharedStack.postgres().connect("notifier_test");
             PreparedStatement query = db.prepareStatement("SELECT status || '/' || attempts || '/' || "
                     + "coalesce(last_error, '') FROM deliveries WHERE breach_id = ? AND owner_id = ?")) {
            query.setObject(1, breachId);
            query.setString(2, ownerId);
            List<String> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
    }
}
