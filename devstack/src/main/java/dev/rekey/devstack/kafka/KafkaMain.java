package dev.rekey.devstack.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaBroker} as its own process (the launcher starts it as a child JVM):
 * {@code KafkaMain <dataDir> <port> <partitions>}. Prints {@code READY <bootstrap>} once the broker answers and the
 * rekey topics exist, then runs until killed.
 */
public final class KafkaMain {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "target/kafka");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        KafkaBroker broker = KafkaBroker.start(dataDir, port);
        broker.createRekeyTopics(partitions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        System.out.println("READY " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private KafkaMain() {
    }
}
