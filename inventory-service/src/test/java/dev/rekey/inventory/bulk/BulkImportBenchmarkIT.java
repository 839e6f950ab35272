package dev.rekey.inventory.bulk;

import dev.rekey.inventory.support.BulkBodies;
import dev.rekey.inventory.support.PackagedInventory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50,000 credentials in one bulk import, as JSON and as CSV, into the packaged service running with
 * {@code -Xmx256m} (a child JVM on the devstack's PostgreSQL and Kafka). Prints each import's time and the highest
 * heap use the service reported meanwhile. On demand, after the package phase:
 * {@code ./mvnw -B -o -pl inventory-service -am verify -Dinventory.skip-benchmarks=false -Dit.test=BulkImportBenchmarkIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
class BulkImportBenchmarkIT {

    private static final int ROWS = 50_000;

    @Test
    void fiftyThousandCredentialsAsJsonAndAsCsvWithin256MegabytesOfHeap() throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (PackagedInventory inventory = PackagedInventory.start("inventory_bench")) {
            inventory.post("/owners", "application/json",
                    "{\"id\":\"bench\",\"name\":\"Bench\",\"email\":\"bench@example.com\"}", 201);
            inventory.post("/systems", "application/json", "{\"id\":\"bench-pg\",\"type\":\"postgresql\","
                    + "\"host\":\"db\",\"port\":5432,\"adminSecretPath\":\"secret/bench\"}", 201);
            AtomicLong peak = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(inventory.heapUsed(), Math::max), 0, 100,
                    TimeUnit.MILLISECONDS);

            long json = timed(inventory, "application/json", BulkBodies.json("bench-json", ROWS, "bench-pg", "bench"));
            long csv = timed(inventory, "text/csv", BulkBodies.csv("bench-csv", ROWS, "bench-pg", "bench"));
            System.out.printf("BENCHMARK bulk import of %d credentials: JSON %d ms (%d rows/s), CSV %d ms (%d rows/s);"
                            + " service heap -Xmx256m, highest heap use sampled %d MB%n", ROWS, json,
                    ROWS * 1000L / json, csv, ROWS * 1000L / csv, peak.get() >> 20);
            assertThat(inventory.isAlive()).isTrue();
        } finally {
            sampler.shutdownNow();
        }
    }

    private static long timed(PackagedInventory inventory, String contentType, String body) throws Exception {
        long start = System.nanoTime();
        inventory.post("/credentials/bulk", contentType, body, 200);
        return Math.max(1, (System.nanoTime() - start) / 1_000_000);
    }
}
