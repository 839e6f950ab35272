package dev.rekey.notifier.campaign;

import dev.rekey.devstack.smtp.SmtpCapture.CapturedMail;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.BreachReported;
import dev.rekey.events.OwnerChanged;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.SecretRotated;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import dev.rekey.notifier.support.VaultSecrets;
import dev.rekey.notifier.support.WebhookReceiver;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The 5,000-credential breach across 50 owners, as the worker reports it: exactly 50 alerts and 50 digests per
 * channel, no secret value in any of them, and how long each owner's digest took after that owner's last rotation
 * (printed, not asserted: the machine is shared).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class MassCampaignBenchmarkTest {

    private static final int OWNERS = 50;
    private static final int PER_OWNER = 100;

    @Test
    void aBreachOfFiveThousandCredentialsAcross50OwnersIsExactly50AlertsAnd50DigestsPerChannelAndNoSecret()
            throws Exception {
        String run = unique();
        WebhookReceiver receiver = WebhookReceiver.shared();
        List<OwnerRef> owners = IntStream.range(0, OWNERS).mapToObj(i -> new OwnerRef("mass" + run + "-" + i,
                "mass" + run + "-" + i + "@example.test")).toList();
        Map<String, String> webhooks = new HashMap<>();
        // every credential has a real value in Vault at the path its event names: no message may contain one
        List<String> values = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        List<SecretRotated> rotations = new ArrayList<>();
        UUID breachId = UUID.randomUUID();
        try (TopicPublisher publish = new TopicPublisher()) {
            for (OwnerRef owner : owners) {
                String secret = WebhookReceiver.newSecret();
                String signingPath = VaultSecrets.put("rekey/owners/" + owner.ownerId() + "/webhook", Map.of("secret", secret));
                String url = receiver.webhookUrl(owner.ownerId(), secret);
                webhooks.put(owner.ownerId(), url);
                publish.ownerChanged(new OwnerChanged(owner.ownerId(), "Team " + owner.ownerId(), owner.email(),
                        new OwnerChanged.Channels(null, new OwnerChanged.Webhook(url, signingPath))));
                for (int c = 0; c < PER_OWNER; c++) {
                    String credential = owner.ownerId() + "-cred-" + c;
                    byte[] bytes = new byte[18];
                    random.nextBytes(bytes);
                    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                    values.add(value);
                    VaultSecrets.put("apps/" + credential, Map.of("password", value));
                    rotations.add(rotated(breachId, owner, credential, 2));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> NotifierDb.count(
                    "SELECT count(*) FROM owners WHERE owner_id LIKE ?", "mass" + run + "-%") == OWNERS);

            List<BreachReported.OwnerCount> shares = owners.stream().map(o -> share(o, PER_OWNER)).toList();
            publish.breachReported(breach(breachId, "Mass rotation " + run, shares));
            await().atMost(Duration.ofSeconds(60)).until(() -> NotifierDb.count("SELECT count(*) FROM deliveries"
                    + " WHERE breach_id = ? AND kind = 'breach-alert' AND status = 'SENT'", breachId) == 2L * OWNERS);

            // owners finish at different moments, as in a real campaign; each event's rotatedAt is its publish time
            Collections.shuffle(rotations, new Random(42));
            Instant start = Instant.now();
            publish.burst(() -> rotations.forEach(r -> publish.secretRotated(new SecretRotated(r.rotationId(),
                    r.credentialId(), r.vaultMount(), r.vaultPath(), r.version(), r.previousVersion(), null, r.cause(),
                    r.owner(), Instant.now(), r.durationMs()))));
            Instant published = Instant.now();
            await().atMost(Duration.ofSeconds(120)).until(() -> NotifierDb.count("SELECT count(*) FROM deliveries"
                    + " WHERE breach_id = ? AND kind = 'breach-digest' AND status = 'SENT'", breachId) == 2L * OWNERS);
            Thread.sleep(3_000); // a duplicate would have arrived by now

            report(breachId, start, published);
        }

        long alerts = 0;
        long digests = 0;
        List<CapturedMail> captured = SharedStack.mail(); // parsed once: every .eml of this JVM
        for (OwnerRef owner : owners) {
            List<CapturedMail> mailbox = captured.stream().filter(m -> m.recipient().equalsIgnoreCase(owner.email())).toList();
            List<CapturedMail> ownerDigests = mailbox.stream().filter(m -> m.subject().startsWith(Mailbox.SUMMARY)).toList();
            alerts += mailbox.stream().filter(m -> m.subject().startsWith(Mailbox.REPORTED)).count();
            digests += ownerDigests.size();
            assertThat(mailbox).as(owner.ownerId()).hasSize(2);
            assertThat(ownerDigests.get(0).body()).contains("Rotated: " + PER_OWNER, "Failed:  0");
            assertThat(receiver.accepted(webhooks.get(owner.ownerId()))).as(owner.ownerId()).hasSize(2);
            assertThat(receiver.duplicates(webhooks.get(owner.ownerId()))).isEmpty();
        }
        assertThat(alerts).isEqualTo(OWNERS);
        assertThat(digests).isEqualTo(OWNERS);

        // no rotated value anywhere: every captured mail (all of them, not only this test's) and webhook body
        List<String> everything = new ArrayList<>();
        captured.forEach(mail -> everything.add(mail.raw()));
        receiver.allAccepted().forEach(received -> everything.add(received.body()));
        assertThat(everything.size()).isGreaterThanOrEqualTo(4 * OWNERS);
        // every value has the same length: look each window of that length up, instead of 5,000 scans per message
        java.util.Set<String> secrets = new java.util.HashSet<>(values);
        int length = values.get(0).length();
        long windows = 0;
        for (String message : everything) {
            for (int i = 0; i + length <= message.length(); i++, windows++) {
                if (secrets.contains(message.substring(i, i + length))) {
                    org.assertj.core.api.Assertions.fail("a rotated value in a message: " + message.substring(0, 200));
                }
            }
        }
        assertThat(windows).isPositive();
    }

    private static void report(UUID breachId, Instant start, Instant published) {
        // per owner and channel: the digest's send, after the owner's last rotation (its event time)
        List<String> rows = NotifierDb.strings("""
                SELECT d.channel || ' ' || round(extract(epoch FROM d.sent_at - max(o.occurred_at)) * 1000)
                FROM deliveries d JOIN rotation_outcomes o ON o.breach_id = d.breach_id AND o.owner_id = d.audience
                WHERE d.breach_id = ? AND d.kind = 'breach-digest'
                GROUP BY d.id, d.channel, d.sent_at""", breachId);
        Map<String, List<Long>> delays = new HashMap<>();
        for (String row : rows) {
            String[] parts = row.split(" ");
            delays.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
        }
        long lastDigest = NotifierDb.count("SELECT round(extract(epoch FROM max(sent_at) - ?::timestamptz) * 1000)"
                + " FROM deliveries WHERE breach_id = ? AND kind = 'breach-digest'", java.sql.Timestamp.from(start), breachId);
        System.out.printf("%nMASS CAMPAIGN %d owners x %d credentials: published in %d ms, last digest sent %d ms after"
                + " the first rotation was published%n", OWNERS, PER_OWNER, Duration.between(start, published).toMillis(),
                lastDigest);
        // where the time goes: consumer to enqueue (created_at is the enqueuing transaction's start), then the send
        System.out.println("  " + NotifierDb.strings("""
                SELECT 'enqueued after the last rotation: max ' || round(extract(epoch FROM max(d.created_at - l.last)) * 1000)
                       || ' ms; sent after enqueued: max ' || round(extract(epoch FROM max(d.sent_at - d.created_at)) * 1000) || ' ms'
                FROM deliveries d JOIN (SELECT owner_id, max(occurred_at) AS last FROM rotation_outcomes
                                        WHERE breach_id = ? GROUP BY owner_id) l ON l.owner_id = d.audience
                WHERE d.breach_id = ? AND d.kind = 'breach-digest'""", breachId, breachId).get(0));
        delays.forEach((channel, list) -> {
            Collections.sort(list);
            System.out.printf("  %-7s digest after the owner's last rotation: min %d ms, median %d ms, p95 %d ms,"
                            + " max %d ms (%d digests)%n", channel, list.get(0), list.get(list.size() / 2),
                    list.get((int) Math.ceil(list.size() * 0.95) - 1), list.get(list.size() - 1), list.size());
        });
    }
}
