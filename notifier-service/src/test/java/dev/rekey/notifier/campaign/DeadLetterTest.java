package dev.rekey.notifier.campaign;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.OwnerChanged;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.Topics;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.NotifierStack;
import dev.rekey.notifier.support.TopicPublisher;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.owner;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
class DeadLetterTest {

    @Test
    void garbageOnBreachReportedGoesToItsOwnDeadLetterTopicWithAReasonAndTheRestOfTheCampaignStillGoesOut() {
        UUID breachId = UUID.randomUUID();
        OwnerRef erin = owner("erin");
        String garbage = "{\"breachId\": \"" + breachId + "\", \"title\": 42, \"token\": \"s3cr3t-in-payload\"";
        try (TopicPublisher publish = new TopicPublisher()) {
            // same key, so the same partition: the good record queues right behind the poison one
            publish.raw(Topics.BREACH_REPORTED, breachId.toString(), garbage);
            publish.breachReported(breach(breachId, "After the poison", share(erin, 1)));
            publish.secretRotated(rotated(breachId, erin, "erin-db-" + breachId, 3));
        }

        ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.deadLetter(Topics.BREACH_REPORTED), breachId.toString());
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(header(dead, "dead-letter-reason").orElseThrow()).contains("BreachReported")
                .doesNotContain("s3cr3t-in-payload");

        Mailbox erins = new Mailbox(erin.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> erins.all().size() == 2);
        assertThat(erins.reported()).hasSize(1);
        assertThat(erins.summaries()).hasSize(1);
    }

    @Test
    void anOutcomeWithoutItsRequiredFieldsIsDeadLetteredFromItsOwnTopic() {
        String key = "broken-" + UUID.randomUUID();
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.raw(Topics.ROTATION_FAILED, key, "{\"rotationId\": \"" + UUID.randomUUID() + "\"}");
        }
        ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.deadLetter(Topics.ROTATION_FAILED), key);
        assertThat(header(dead, "dead-letter-reason")).hasValueSatisfying(reason -> assertThat(reason).contains("missing"));
    }

    @Test
    void anOwnerRecordWhoseKeyIsNotItsOwnerIsDeadLetteredAndTheNextOneApplied() {
        String id = "grace-" + unique();
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.raw(Topics.OWNERS, id, "{\"ownerId\": \"someone-else\", \"name\": \"x\", \"email\": \"x@example.test\"}");
            publish.ownerChanged(new OwnerChanged(id, "Grace", id + "@example.test", null));
        }
        ConsumerRecord<String, String> dead = awaitDeadLetter(Topics.deadLetter(Topics.OWNERS), id);
        assertThat(header(dead, "dead-letter-reason")).hasValueSatisfying(reason -> assertThat(reason).contains("differ"));
        await().atMost(Duration.ofSeconds(30)).until(() -> NotifierDb.count(
                "SELECT count(*) FROM owners WHERE owner_id = ?", id) == 1);
    }

    static ConsumerRecord<String, String> awaitDeadLetter(String topic, String key) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.kafkaBootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().anyMatch(r -> key.equals(r.key()));
            });
            return seen.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        }
    }

    static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }
}
