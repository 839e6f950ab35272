package dev.rekey.client.plain;

import dev.rekey.devstack.testing.SharedStack;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The plain-Kafka example of docs/subscribers.md works against the real broker and Vault, and is the one shown. */
class PlainKafkaSubscriberTest {

    @Test
    void theDocumentShowsThisExampleVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/rekey/client/plain/PlainKafkaSubscriber.java"));
        String example = source.substring(source.indexOf("// BEGIN subscriber-example\n") + 28,
                source.indexOf("    // END subscriber-example")) + "}\n";
        String doc = Files.readString(Path.of("../docs/subscribers.md"));
        assertThat(doc).as("docs/subscribers.md holds the example of PlainKafkaSubscriber.java").contains(example);
    }

    @Test
    void theExampleStartsWithTheCurrentVersionAndFollowsTheEvents() throws Exception {
        String id = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "plain-tests/" + id;
        Vault vault = Vault.create(new VaultConfig().address(SharedStack.vaultAddress())
                .token(SharedStack.vaultToken()).engineVersion(2).build());
        vault.logical().write("secret/" + path, Map.of("username", "app_a", "password", "first"));
        PlainKafkaSubscriber subscriber = new PlainKafkaSubscriber(SharedStack.vaultAddress(),
                SharedStack.vaultToken(), id, "secret/" + path);
        Thread thread = new Thread(() -> {
            try {
                subscriber.run(SharedStack.kafkaBootstrapServers());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", SharedStack.kafkaBootstrapServers(),
                "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.version() == 1);
            vault.logical().write("secret/" + path, Map.of("username", "app_b", "password", "second"));
            ProducerRecord<String, String> record = new ProducerRecord<>("rekey.secret-rotated", id,
                    "{\"credentialId\":\"" + id + "\",\"version\":2}");
            record.headers().add("ce_type", "dev.rekey.secret.rotated.v1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.version() == 2);
            assertThat(subscriber.username()).isEqualTo("app_b");
        } finally {
            subscriber.stop();
            thread.join(10_000);
        }
    }
}
