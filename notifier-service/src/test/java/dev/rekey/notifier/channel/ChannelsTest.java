package dev.rekey.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerChanged;
import dev.rekey.events.OwnerRef;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import dev.rekey.notifier.support.VaultSecrets;
import dev.rekey.notifier.support.WebhookReceiver;
import dev.rekey.notifier.support.WebhookReceiver.Received;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.owner;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Owners with Slack and signed webhooks, their secrets in Vault, against a receiver that verifies signatures. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class ChannelsTest {

    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final TopicPublisher PUBLISH = new TopicPublisher();
    private final WebhookReceiver receiver = WebhookReceiver.shared();

    @AfterAll
    static void closePublisher() {
        PUBLISH.close();
    }

    /** An owner on rekey.owners with email, Slack and a signed webhook; returns its webhook URL. */
    private String ownerWithEveryChannel(OwnerRef owner) {
        String slackPath = VaultSecrets.put("rekey/owners/" + owner.ownerId() + "/slack",
                Map.of("url", receiver.slackUrl(owner.ownerId())));
        String secret = WebhookReceiver.newSecret();
        String signingPath = VaultSecrets.put("rekey/owners/" + owner.ownerId() + "/webhook", Map.of("secret", secret));
        String url = receiver.webhookUrl(owner.ownerId(), secret);
        PUBLISH.ownerChanged(new OwnerChanged(owner.ownerId(), "Team " + owner.ownerId(), owner.email(),
                new OwnerChanged.Channels(slackPath, new OwnerChanged.Webhook(url, signingPath))));
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM owners WHERE owner_id = ? AND webhook_url = ?", owner.ownerId(), url) == 1);
        return url;
    }

    @Test
    void anOwnerGetsItsAlertAndItsDigestOnceOnEachOfItsChannelsSignedAsStandardWebhooksSays() throws Exception {
        OwnerRef hank = owner("hank");
        String webhook = ownerWithEveryChannel(hank);
        UUID breachId = UUID.randomUUID();
        PUBLISH.breachReported(breach(breachId, "GitHub token leak <!channel>", share(hank, 2)));
        PUBLISH.secretRotated(rotated(breachId, hank, "hank-db-" + unique(), 4));
        PUBLISH.secretRotated(rotated(breachId, hank, "hank-mq-" + unique(), 6));

        String slack = receiver.slackUrl(hank.ownerId());
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(webhook).size() == 2
                && receiver.accepted(slack).size() == 2 && new Mailbox(hank.email()).all().size() == 2);
        Thread.sleep(QUIET.toMillis());

        List<Received> hooks = receiver.accepted(webhook);
        assertThat(hooks).hasSize(2);
        assertThat(receiver.duplicates(webhook)).isEmpty();
        JsonNode alert = EventJson.mapper().readTree(hooks.get(0).body());
        assertThat(alert.get("type").asText()).isEqualTo("rekey.breach.alert");
        assertThat(alert.at("/data/breachId").asText()).isEqualTo(breachId.toString());
        assertThat(alert.at("/data/count").asInt()).isEqualTo(2);
        JsonNode digest = EventJson.mapper().readTree(hooks.get(1).body());
        assertThat(digest.get("type").asText()).isEqualTo("rekey.breach.digest");
        assertThat(digest.at("/data/outcomes")).hasSize(2);
        assertThat(hooks.get(0).webhookId()).matches("msg_[0-9a-f]{32}").isNotEqualTo(hooks.get(1).webhookId());
        assertThat(hooks.get(0).headers().get("webhook-signature")).startsWith("v1,");

        List<Received> chats = receiver.accepted(slack);
        assertThat(chats).hasSize(2);
        String alertText = EventJson.mapper().readTree(chats.get(0).body()).get("text").asText();
        assertThat(alertText).contains("Breach reported", "2 credentials of yours")
                .contains("&lt;!channel&gt;").doesNotContain("<!channel>");
        assertThat(EventJson.mapper().readTree(chats.get(1).body()).get("text").asText())
                .contains("Rotation summary", "Rotated *2*, failed *0*");
        assertThat(NotifierDb.deliveries(hank.ownerId())).hasSize(6).allMatch(row -> row.contains("/SENT/1/"));
        assertThat(NotifierDb.strings("SELECT destination FROM deliveries WHERE audience = ? AND channel = 'slack'",
                hank.ownerId())).as("the Slack URL is a secret: only its Vault path is stored")
                .allMatch(path -> path.startsWith("secret/rekey/owners/"));
    }

    @Test
    void theReceiverRejectsAReplayedOrStaleWebhookAndAForgedSignature() throws Exception {
        OwnerRef ivy = owner("ivy");
        String webhook = ownerWithEveryChannel(ivy);
        UUID breachId = UUID.randomUUID();
        PUBLISH.breachReported(breach(breachId, "Replay target", share(ivy, 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted(webhook).size() == 1);
        Received original = receiver.accepted(webhook).get(0);

        assertThat(receiver.replay(original, webhook)).as("a replay is acknowledged, never processed again").isEqualTo(200);
        assertThat(receiver.accepted(webhook)).hasSize(1);
        assertThat(receiver.duplicates(webhook)).hasSize(1);

        int rejectedBefore = receiver.rejected();
        Map<String, String> stale = new HashMap<>(original.headers());
        stale.put("webhook-timestamp", Long.toString(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond()));
        stale.put("webhook-id", "msg_stale" + unique());
        assertThat(receiver.replay(new Received(original.path(), "x", stale, original.body(), Instant.now()), webhook))
                .isEqualTo(400);
        Map<String, String> forged = new HashMap<>(original.headers());
        forged.put("webhook-id", "msg_forged" + unique());
        assertThat(receiver.replay(new Received(original.path(), "x", forged, original.body(), Instant.now()), webhook))
                .as("the signature covers the id").isEqualTo(401);
        assertThat(receiver.rejected()).isEqualTo(rejectedBefore + 2);
    }

    @Test
    void aWebhookAnswering500ForAWhileGetsEveryMessageOnceItRecovers() throws Exception {
        OwnerRef jack = owner("jack");
        String webhook = ownerWithEveryChannel(jack);
        UUID breachId = UUID.randomUUID();
        receiver.failing(true);
        try {
            PUBLISH.breachReported(breach(breachId, "Flaky receiver", share(jack, 1)));
            PUBLISH.secretRotated(rotated(breachId, jack, "jack-db-" + unique(), 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count("SELECT count(*) FROM deliveries"
                    + " WHERE audience = ? AND channel <> 'email' AND attempts > 0 AND status = 'PENDING'", jack.ownerId()) >= 1);
        } finally {
            receiver.failing(false);
        }
        String slack = receiver.slackUrl(jack.ownerId());
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(webhook).size() == 2
                && receiver.accepted(slack).size() == 2);
        Thread.sleep(QUIET.toMillis());
        assertThat(receiver.accepted(webhook)).hasSize(2);
        assertThat(receiver.duplicates(webhook)).isEmpty();
        assertThat(NotifierDb.strings("SELECT last_error FROM deliveries WHERE audience = ? AND status = 'SENT'"
                + " AND attempts > 1", jack.ownerId())).isNotEmpty();
    }

    @Test
    void aWebhookToALoopbackHostThatIsNotAllowlistedIsRefusedAfterResolutionAndTheOtherChannelsStillGo() {
        OwnerRef kate = owner("kate");
        String secret = WebhookReceiver.newSecret();
        String signingPath = VaultSecrets.put("rekey/owners/" + kate.ownerId() + "/webhook", Map.of("secret", secret));
        // "localhost" is not on the test allowlist (127.0.0.1 is): it is https, but resolves to loopback
        String url = "https://localhost:9/hooks/" + kate.ownerId();
        PUBLISH.ownerChanged(new OwnerChanged(kate.ownerId(), "Kate", kate.email(),
                new OwnerChanged.Channels(null, new OwnerChanged.Webhook(url, signingPath))));
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM owners WHERE owner_id = ?", kate.ownerId()) == 1);
        PUBLISH.breachReported(breach(UUID.randomUUID(), "SSRF attempt", share(kate, 1)));

        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.deliveries(kate.ownerId()).size() == 2
                && NotifierDb.deliveries(kate.ownerId()).stream().noneMatch(row -> row.contains("/PENDING/")));
        assertThat(NotifierDb.deliveries(kate.ownerId())).contains("breach-alert/email/SENT/1/")
                .anySatisfy(row -> assertThat(row).startsWith("breach-alert/webhook/FAILED/1/localhost resolves to a"
                        + " loopback address").endsWith("refused for a host that is not allowlisted"));
    }
}
