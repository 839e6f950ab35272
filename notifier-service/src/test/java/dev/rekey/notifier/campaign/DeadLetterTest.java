package dev.rekey.notifier.campaign;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.testing.SmtpResource;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.Topics;
import dev.rekey.notifier.Mailbox;
import dev.rekey.notifier.TopicPublisher;
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

import static dev.rekey.notifier.Campaigns.breach;
import static dev.rekey.notifier.Campaigns.owner;
import static dev.rekey.notifier.Campaigns.rotated;
import static dev.rekey.notifier.Campaigns.share;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifier_test"))
@WithTestResource(SmtpResource.class)
class DeadLetterTest {

    @Test
    void garbageOnBreachReportedIsDeadLetteredWithAReasonAndTheNextRecordStillMails() {
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
        String reason = header(dead, "dead-letter-reason").orElseThrow();
        assertThat(reason).contains("BreachReported").doesNotContain("s3cr3t-in-payload");

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

    private static ConsumerRecord<String, String> awaitDeadLetter(String topic, String key) {
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

    private static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }
}
