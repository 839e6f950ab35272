package dev.rekey.devstack.kafka;

import dev.rekey.devstack.Ports;
import dev.rekey.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka node (combined broker and KRaft controller) running in this JVM, on loopback. For tests and
 * the local stack only: one node, replication factor 1.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /**
     * Formats {@code dataDir} (when empty) and starts a node listening on {@code port} (0 for any free port); returns
     * once the broker answers.
     */
    public static KafkaBroker start(Path dataDir, int port) throws Exception {
        int brokerPort = port == 0 ? Ports.free() : port;
        int controllerPort = Ports.free();
        Files.createDirectories(dataDir);
        String dir = dataDir.toAbsolutePath().toString();

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("log.dirs", dir);
        props.put("metadata.log.dir", dir);
        // a single node: every internal topic has one replica
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "true");
        props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));

        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir)
                    .setDirectories(List.of(dir))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(server, "127.0.0.1:" + brokerPort, dataDir);
        broker.awaitReady();
        return broker;
    }

    /** Starts a node in a fresh temporary directory that is removed on close. */
    public static KafkaBroker startTemporary() throws Exception {
        return start(Files.createTempDirectory("rekey-kafka-"), 0);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates every topic of the rekey contract (if absent): {@code partitions} each (the three rotation-due topics
     * must have the same count), {@code rekey.owners} compacted, and one-partition dead-letter topics.
     */
    public void createRekeyTopics(int partitions) throws Exception {
        createTopics(Topics.ALL, partitions);
        createTopics(Topics.ALL.stream().map(Topics::deadLetter).toList(), 1);
    }

    /** Creates the topics (if absent) with the given partition count; those of {@link Topics#COMPACTED} compacted. */
    public void createTopics(Collection<String> topics, int partitions) throws Exception {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                NewTopic newTopic = new NewTopic(topic, partitions, (short) 1);
                if (Topics.COMPACTED.contains(topic)) {
                    newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                try {
                    admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not become ready within 60 s", e);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Removes the data directory; call after {@link #close()} for temporary brokers. */
    public void deleteData() throws IOException {
        Files.walk(dataDir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
}
