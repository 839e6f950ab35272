package dev.rekey.devstack;

import dev.rekey.devstack.kafka.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

    @Test
    void brokerCreatesTopicsAndCarriesRecordsWithKeysAndHeaders() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startTemporary()) {
            broker.createTopics(List.of("devstack.check"), 3);
            try (var admin = broker.admin()) {
                assertThat(admin.listTopics().names().get()).contains("devstack.check");
                assertThat(admin.describeTopics(Set.of("devstack.check")).allTopicNames().get()
                        .get("devstack.check").partitions()).hasSize(3);
            }
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                var record = new ProducerRecord<>("devstack.check", "cred-1", "{\"hello\":1}");
                record.headers().add("ce_type", "dev.rekey.check".getBytes());
                producer.send(record).get();
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "devstack-check",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("devstack.check"));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
                assertThat(received).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("cred-1");
                    assertThat(r.value()).isEqualTo("{\"hello\":1}");
                    assertThat(new String(r.headers().lastHeader("ce_type").value())).isEqualTo("dev.rekey.check");
                });
            }
            broker.close();
            broker.deleteData();
        }
    }
}
