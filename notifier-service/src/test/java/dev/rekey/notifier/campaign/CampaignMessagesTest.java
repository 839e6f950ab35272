package dev.rekey.notifier.campaign;

import dev.rekey.devstack.smtp.SmtpCapture.CapturedMail;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.BreachReported;
import dev.rekey.events.Cause;
import dev.rekey.events.OldCredential;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.failed;
import static dev.rekey.notifier.support.Campaigns.owner;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Owners unknown to rekey.owners here: they are mailed at the address the events carry. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class CampaignMessagesTest {

    /** Longer than several timer rounds: a duplicate would have arrived by then. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final TopicPublisher PUBLISH = new TopicPublisher();

    @Inject
    RoutineDigests routineDigests;

    @Inject
    RoutineDigestConfig routineConfig;

    @AfterAll
    static void closePublisher() {
        PUBLISH.close();
    }

    @Test
    void eachOwnerGetsOneAlertAndOneDigestWithOnlyTheirOwnNumbers() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef alice = owner("alice");
        OwnerRef bob = owner("bob");
        String aliceDb = "alice-db-" + unique();
        String aliceCache = "alice-cache-" + unique();
        String bobDb = "bob-db-" + unique();

        PUBLISH.breachReported(breach(breachId, "Okta support breach", share(alice, 2), share(bob, 1)));
        PUBLISH.secretRotated(rotated(breachId, alice, aliceDb, 4));
        // none of these counts: a failure that will be retried with the old value still working, a rotation of
        // another campaign
        PUBLISH.rotationFailed(failed(breachId, alice, aliceCache, false, true));
        PUBLISH.secretRotated(rotated(Cause.scheduled(), alice, "alice-other-" + unique(), 9));
        PUBLISH.secretRotated(rotated(breachId, bob, bobDb, 2));

        Mailbox bobs = new Mailbox(bob.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> bobs.all().size() >= 2);
        Mailbox alices = new Mailbox(alice.email());
        assertThat(alices.summaries()).as("alice still has a credential in rotation").isEmpty();
        assertThat(alices.urgent()).as("a retried failure with the old value valid needs nobody").isEmpty();

        RotationFailed givenUp = failed(breachId, alice, aliceCache, true, true);
        PUBLISH.rotationFailed(givenUp);
        await().atMost(Duration.ofSeconds(30)).until(() -> alices.all().size() >= 3);
        Thread.sleep(QUIET.toMillis());

        assertThat(alices.reported()).hasSize(1);
        assertThat(alices.summaries()).hasSize(1);
        assertThat(alices.urgent()).as("the worker gave up: an urgent alert at once").hasSize(1);
        assertThat(alices.all()).hasSize(3);
        assertThat(alices.all().get(0).subject()).as("the alert comes first").startsWith(Mailbox.REPORTED);
        assertThat(alices.reported().get(0).body()).contains("Okta support breach", "Yours in its blast radius: 2 credentials");
        CapturedMail aliceDigest = alices.summaries().get(0);
        assertThat(aliceDigest.subject()).contains("1 rotated, 1 failed");
        assertThat(aliceDigest.body())
                .contains("Rotated: 1", "Failed:  1", "Total:   2 of 2 expected")
                .contains(aliceDb + ": ROTATED", "Vault secret/apps/" + aliceDb + ", version 4")
                .contains(aliceCache + ": FAILED", "connection refused by db.internal:5432", "old value: still valid")
                .contains("/api/v1/breaches/" + breachId + "/credentials?status=FAILED")
                .doesNotContain("alice-other", bobDb);
        assertThat(aliceDigest.raw()).contains("Content-Type: multipart/alternative", "text/html");
        assertThat(new Mailbox(NotifierStack.INCIDENT_EMAIL).urgent())
                .filteredOn(mail -> mail.body().contains(aliceCache)).as("the incident channel too").hasSize(1);

        assertThat(bobs.all()).hasSize(2);
        assertThat(bobs.reported().get(0).body()).containsPattern("Yours in its blast radius: 1 credential\\R");
        assertThat(bobs.summaries().get(0).body()).contains("Rotated: 1", "Failed:  0", bobDb + ": ROTATED", "version 2")
                .doesNotContain(aliceDb, aliceCache, "status=FAILED");
        assertThat(NotifierDb.deliveries(bob.ownerId())).containsExactly(
                "breach-alert/email/SENT/1/", "breach-digest/email/SENT/1/");
    }

    @Test
    void outcomesArrivingBeforeTheBreachStillGiveOneDigest() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef carol = owner("carol");
        PUBLISH.secretRotated(rotated(breachId, carol, "carol-db-" + unique(), 7));
        PUBLISH.rotationFailed(failed(breachId, carol, "carol-mq-" + unique(), true, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM rotation_outcomes WHERE breach_id = ?", breachId) == 2);
        Mailbox carols = new Mailbox(carol.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> carols.urgent().size() == 1);
        assertThat(carols.reported()).as("no alert before the breach is known").isEmpty();

        PUBLISH.breachReported(breach(breachId, "Late breach report", share(carol, 2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> carols.all().size() >= 3);
        Thread.sleep(QUIET.toMillis());

        assertThat(carols.reported()).hasSize(1);
        assertThat(carols.summaries()).hasSize(1);
        assertThat(carols.summaries().get(0).body()).contains("Rotated: 1", "Failed:  1", "old value: NO LONGER VALID");
        assertThat(carols.urgent().get(0).body()).contains("Act now", "no longer logs in");
    }

    @Test
    void redeliveredEventsSendNothingTwice() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef dave = owner("dave");
        BreachReported reported = breach(breachId, "Redelivered breach", share(dave, 2));
        SecretRotated first = rotated(breachId, dave, "dave-db-" + unique(), 3);
        SecretRotated second = rotated(breachId, dave, "dave-api-" + unique(), 5);
        Runnable publishAll = () -> {
            PUBLISH.breachReported(reported);
            PUBLISH.secretRotated(first);
            PUBLISH.secretRotated(second);
        };
        publishAll.run();
        publishAll.run();
        Mailbox daves = new Mailbox(dave.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> daves.all().size() >= 2);

        publishAll.run(); // redelivered after the mail went out
        Thread.sleep(QUIET.toMillis());

        assertThat(daves.all()).hasSize(2);
        assertThat(daves.summaries().get(0).body()).contains("Total:   2 of 2 expected");
        assertThat(Mailbox.messageId(daves.all().get(0))).isNotEqualTo(Mailbox.messageId(daves.all().get(1)))
                .matches("<[0-9a-f-]{36}@notifier\\.rekey>");
    }

    @Test
    void manyOwnersWithTheirLastOutcomesArrivingTogetherEachGetOneDigest() {
        UUID breachId = UUID.randomUUID();
        List<OwnerRef> owners = IntStream.range(0, 40).mapToObj(i -> owner("racer" + i)).toList();
        PUBLISH.breachReported(breach(breachId, "Racing breach",
                owners.stream().map(o -> share(o, 2)).toList()));
        PUBLISH.burst(() -> owners.forEach(o -> {
            PUBLISH.secretRotated(rotated(breachId, o, o.ownerId() + "-db", 2));
            PUBLISH.secretRotated(rotated(breachId, o, o.ownerId() + "-mq", 3));
        }));
        await().atMost(Duration.ofSeconds(60)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM deliveries WHERE breach_id = ? AND status = 'SENT'", breachId) == 2L * owners.size());

        Mailbox last = new Mailbox(owners.get(owners.size() - 1).email());
        assertThat(last.all()).hasSize(2);
        assertThat(last.summaries().get(0).body()).contains("Rotated: 2", "Failed:  0", "Total:   2 of 2 expected");
    }

    @Test
    void aValueInVaultThatNoLongerLogsInIsAnUrgentAlertBeforeTheWorkerGivesUpAndOnceMoreWhenItDoes() throws Exception {
        UUID breachId = UUID.randomUUID();
        OwnerRef erin = owner("erin");
        String credential = "erin-db-" + unique();
        PUBLISH.breachReported(breach(breachId, "Locked out", share(erin, 1)));
        RotationFailed retried = failed(breachId, erin, credential, false, false);
        PUBLISH.rotationFailed(retried);
        PUBLISH.rotationFailed(failed(Cause.breach(breachId), erin, credential, false, OldCredential.INVALID)); // next attempt, same state

        Mailbox erins = new Mailbox(erin.email());
        Mailbox incident = new Mailbox(NotifierStack.INCIDENT_EMAIL);
        await().atMost(Duration.ofSeconds(30)).until(() -> erins.urgent().size() == 2);
        Thread.sleep(QUIET.toMillis());
        // two rotation ids (the test makes a new one per event), one alert each; the same id again changes nothing
        PUBLISH.rotationFailed(retried);
        Thread.sleep(QUIET.toMillis());
        assertThat(erins.urgent()).hasSize(2).allSatisfy(mail -> assertThat(mail.body())
                .contains(credential, "Act now", "rekey tries again later"));
        assertThat(incident.urgent()).filteredOn(m -> m.body().contains(credential)).hasSize(2);
        assertThat(erins.summaries()).as("not final: the campaign is not done").isEmpty();
    }

    @Test
    void scheduledRotationsGiveOneDigestPerOwnerPerPeriodNeverOnePerRotation() throws Exception {
        OwnerRef frank = owner("frank");
        for (int i = 0; i < 5; i++) {
            PUBLISH.secretRotated(rotated(Cause.scheduled(), frank, "frank-cred-" + i, 10 + i));
        }
        PUBLISH.secretRotated(rotated(Cause.manual(), frank, "frank-manual", 3));
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM routine_outcomes WHERE owner_id = ?", frank.ownerId()) == 6);
        Mailbox franks = new Mailbox(frank.email());
        Thread.sleep(QUIET.toMillis());
        assertThat(franks.all()).as("nothing per rotation").isEmpty();

        Instant afterThisPeriod = Instant.now().plus(routineConfig.period());
        routineDigests.digestEndedPeriods(afterThisPeriod).await().atMost(Duration.ofSeconds(30));
        routineDigests.digestEndedPeriods(afterThisPeriod).await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> franks.routine().size() == 1);
        Thread.sleep(QUIET.toMillis());

        assertThat(franks.all()).hasSize(1);
        assertThat(franks.routine().get(0).subject()).endsWith("6 rotated, 0 failed");
        assertThat(franks.routine().get(0).body()).contains("frank-cred-0: new value in Vault secret/apps/frank-cred-0, version 10",
                "frank-manual");
    }
}
