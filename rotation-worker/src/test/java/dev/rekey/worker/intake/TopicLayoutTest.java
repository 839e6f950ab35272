package dev.rekey.worker.intake;

import dev.rekey.devstack.kafka.KafkaBroker;
import dev.rekey.events.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up check of the three rotation-due topics, against a broker of its own. */
class TopicLayoutTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.startTemporary();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        broker.deleteData();
    }

    @Test
    void missingTopicsAreNamedThenDifferentPartitionCountsThenEqualOnesFit() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            check(admin);
        }
    }

    private static void check(org.apache.kafka.clients.admin.Admin admin) throws Exception {
        assertThat(TopicLayout.problem(admin)).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("cannot describe the rotation-due topics")
                        .endsWith("UnknownTopicOrPartitionException"));

        broker.createTopics(List.of(Topics.ROTATION_DUE_URGENT, Topics.ROTATION_DUE), 4);
        broker.createTopics(List.of(Topics.ROTATION_DUE_RETRY), 2);
        // topic metadata reaches every broker a moment after the creation
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !TopicLayout.problem(admin).orElse("").startsWith("cannot describe"));
        assertThat(TopicLayout.problem(admin)).contains("the rotation-due topics differ in partition count: "
                + "rekey.rotation-due.urgent=4, rekey.rotation-due=4, rekey.rotation-due.retry=2 (a worker must hold "
                + "all of a system's partitions: give them the same count)");

        admin.createPartitions(java.util.Map.of(Topics.ROTATION_DUE_RETRY,
                org.apache.kafka.clients.admin.NewPartitions.increaseTo(4))).all().get();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> TopicLayout.problem(admin).isEmpty());
    }
}
