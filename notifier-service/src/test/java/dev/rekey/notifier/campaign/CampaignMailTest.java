package dev.rekey.notifier.campaign;

import dev.rekey.devstack.smtp.SmtpCapture.CapturedMail;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.testing.SmtpResource;
import dev.rekey.events.BreachReported;
import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.notifier.Mailbox;
import dev.rekey.notifier.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.notifier.Campaigns.breach;
import static dev.rekey.notifier.Campaigns.failed;
import static dev.rekey.notifier.Campaigns.owner;
import static dev.rekey.notifier.Campaigns.rotated;
import static dev.rekey.notifier.Campaigns.share;
import static dev.rekey.notifier.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifier_test"))
@WithTestResource(SmtpResource.class)
class CampaignMailTest {

    /** Longer than several timer rounds: a duplicate mail would have arrived by then. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final TopicPublisher PUBLISH = new TopicPublisher();

    @AfterAll
    static void closePublisher() {
        PUBLISH.close();
    }

    @Test
    void eachOwnerGetsOneAlertAndOneSummaryWithOnlyTheirOwnNumbers() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef alice = owner("alice");
        OwnerRef bob = owner("bob");
        String aliceDb = "alice-db-" + unique();
        String aliceCache = "alice-cache-" + unique();
        String bobDb = "bob-db-" + unique();

        PUBLISH.breachReported(breach(breachId, "Okta support breach", share(alice, 2), share(bob, 1)));
        PUBLISH.secretRotated(rotated(breachId, alice, aliceDb, 4));
        // neither of these counts: a failure that will be retried, and a rotation of another campaign
        PUBLISH.rotationFailed(failed(breachId, alice, aliceCache, false, true));
        PUBLISH.secretRotated(rotated(Cause.scheduled(), alice, "alice-other-" + unique(), 9));
        PUBLISH.secretRotated(rotated(breachId, bob, bobDb, 2));

        Mailbox bobs = new Mailbox(bob.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> bobs.all().size() >= 2);
        Mailbox alices = new Mailbox(alice.email());
        assertThat(alices.summaries()).as("alice still has a credential in rotation").isEmpty();

        PUBLISH.rotationFailed(failed(breachId, alice, aliceCache, true, true));
        await().atMost(Duration.ofSeconds(30)).until(() -> alices.all().size() >= 2);
        Thread.sleep(QUIET.toMillis());

        assertOneAlertThenOneSummary(alices);
        assertThat(alices.reported().get(0).body()).contains("Okta support breach", "Yours in its blast radius: 2 credentials");
        CapturedMail aliceSummary = alices.summaries().get(0);
        assertThat(aliceSummary.subject()).contains("1 rotated, 1 failed");
        assertThat(aliceSummary.body())
                .contains("Rotated: 1", "Failed:  1", "Total:   2 of 2 expected")
                .contains(aliceDb + ": ROTATED", "Vault secret/apps/" + aliceDb + ", version 4")
                .contains(aliceCache + ": FAILED", "connection refused by db.internal:5432", "old value: still valid")
                .doesNotContain("alice-other", bobDb);

        assertOneAlertThenOneSummary(bobs);
        assertThat(bobs.reported().get(0).body()).containsPattern("Yours in its blast radius: 1 credential\\R");
        assertThat(bobs.summaries().get(0).body())
                .contains("Rotated: 1", "Failed:  0", bobDb + ": ROTATED", "version 2")
                .doesNotContain(aliceDb, aliceCache);
        assertThat(deliveryStatuses(breachId)).isEqualTo("SENT,SENT,SENT,SENT");
    }

    @Test
    void outcomesArrivingBeforeTheBreachStillGiveOneSummary() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef carol = owner("carol");
        PUBLISH.secretRotated(rotated(breachId, carol, "carol-db-" + unique(), 7));
        PUBLISH.rotationFailed(failed(breachId, carol, "carol-mq-" + unique(), true, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomeRows(breachId) == 2);
        Mailbox carols = new Mailbox(carol.email());
        assertThat(carols.all()).as("no mail before the breach is known").isEmpty();

        PUBLISH.breachReported(breach(breachId, "Late breach report", share(carol, 2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> carols.all().size() >= 2);
        Thread.sleep(QUIET.toMillis());

        assertOneAlertThenOneSummary(carols);
        assertThat(carols.summaries().get(0).body())
                .contains("Rotated: 1", "Failed:  1", "old value: NO LONGER VALID");
    }

    @Test
    void redeliveredEventsSendNoSecondMail() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef dave = owner("dave");
        BreachReported reported = breach(breachId, "Redelivered breach", share(dave, 2));
        SecretRotated first = rotated(breachId, dave, "dave-db-" + unique(), 3);
        RotationFailed second = failed(breachId, dave, "dave-api-" + unique(), true, true);
        Runnable publishAll = () -> {
            PUBLISH.breachReported(reported);
            PUBLISH.secretRotated(first);
            PUBLISH.rotationFailed(second);
        };
        publishAll.run();
        publishAll.run();
        Mailbox daves = new Mailbox(dave.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> daves.all().size() >= 2);

        publishAll.run(); // redelivered after the mail went out
        Thread.sleep(QUIET.toMillis());

        assertOneAlertThenOneSummary(daves);
        assertThat(daves.summaries().get(0).body()).contains("Total:   2 of 2 expected");
        assertThat(outcomeRows(breachId)).isEqualTo(2);
    }

    @Test
    void manyOwnersWithTheirLastOutcomesArrivingTogetherOnBothTopicsEachGetOneSummary() throws Exception {
        UUID breachId = UUID.randomUUID();
        List<OwnerRef> owners = IntStream.range(0, 40).mapToObj(i -> owner("racer" + i)).toList();
        PUBLISH.breachReported(breach(breachId, "Racing breach",
                owners.stream().map(o -> share(o, 2)).toArray(BreachReported.OwnerCount[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(() -> single(
                "SELECT count(*) FROM campaign_owners WHERE breach_id = ?", breachId) == owners.size());

        // each owner's two outcomes arrive together on the two topics, which are consumed concurrently
        // (CampaignProgressConcurrencyTest makes their transactions overlap on purpose)
        PUBLISH.burst(() -> owners.forEach(o -> {
            PUBLISH.secretRotated(rotated(breachId, o, o.ownerId() + "-db", 2));
            PUBLISH.rotationFailed(failed(breachId, o, o.ownerId() + "-mq", true, true));
        }));
        await().atMost(Duration.ofSeconds(60)).until(() -> single(
                "SELECT count(*) FROM deliveries WHERE breach_id = ? AND kind = 'BREACH_SUMMARY'", breachId)
                == owners.size());
        await().atMost(Duration.ofSeconds(60)).until(() -> single(
                "SELECT count(*) FROM deliveries WHERE breach_id = ? AND status = 'SENT'", breachId)
                == 2L * owners.size());

        Mailbox last = new Mailbox(owners.get(owners.size() - 1).email());
        assertOneAlertThenOneSummary(last);
        assertThat(last.summaries().get(0).body()).contains("Rotated: 1", "Failed:  1", "Total:   2 of 2 expected");
    }

    private static void assertOneAlertThenOneSummary(Mailbox mailbox) {
        assertThat(mailbox.all()).as("mail to " + mailbox.address()).hasSize(2);
        assertThat(mailbox.reported()).hasSize(1);
        assertThat(mailbox.summaries()).hasSize(1);
        assertThat(mailbox.all().get(0).subject()).as("the alert comes first").startsWith(Mailbox.REPORTED);
    }

    static long outcomeRows(UUID breachId) throws Exception {
        return single("SELECT count(*) FROM rotation_outcomes WHERE breach_id = ?", breachId);
    }

    static long summaries(UUID breachId) throws Exception {
        return single("SELECT count(*) FROM deliveries WHERE breach_id = ? AND kind = 'BREACH_SUMMARY'", breachId);
    }

    static String deliveryStatuses(UUID breachId) throws Exception {
        try (Connection db = SharedStack.postgres().connect("notifier_test");
             PreparedStatement query = db.prepareStatement(
                     "SELECT string_agg(status, ',' ORDER BY status) FROM deliveries WHERE breach_id = ?")) {
            query.setObject(1, breachId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static long single(String sql, UUID breachId) throws Exception {
        try (Connection db = SharedStack.postgres().connect("notifier_test");
             PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, breachId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
