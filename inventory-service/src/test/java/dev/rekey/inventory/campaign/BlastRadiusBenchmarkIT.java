package dev.rekey.inventory.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.inventory.support.BulkBodies;
import dev.rekey.inventory.support.PackagedInventory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dry run of a breach over 50,000 credentials joined by 200,000 edges (two {@code exposedVia} and two
 * {@code grantsAccessTo} each, over 1,000 systems and the provider {@code okta}), in the packaged service with
 * {@code -Xmx256m}: 500 credentials are exposed through Okta, and the graph carries the breach from them to nearly
 * every other one. Prints the time of each dry run as the client sees it (request to the last byte of the answer)
 * and checks the radius is the closure: every credential in it is a direct match or carries a path from Okta. On
 * demand, after the package phase:
 * {@code ./mvnw -B -o -pl inventory-service -am verify -Dinventory.skip-benchmarks=false
 * -Dit.test=BlastRadiusBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
class BlastRadiusBenchmarkIT {

    private static final int CREDENTIALS = 50_000;
    private static final int SYSTEMS = 1_000;
    private static final int EXPOSED_THROUGH_OKTA = 500;
    private static final int RUNS = 7;

    @Test
    void theDryRunOfFiftyThousandCredentialsAndTwoHundredThousandEdges() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (PackagedInventory inventory = PackagedInventory.start("inventory_radius_bench")) {
            inventory.post("/owners", "application/json",
                    "{\"id\":\"radius\",\"name\":\"Radius\",\"email\":\"radius@example.com\"}", 201);
            inventory.post("/systems", "application/json", "{\"id\":\"radius-pg\",\"type\":\"postgresql\","
                    + "\"host\":\"db\",\"port\":5432,\"adminSecretPath\":\"secret/radius\"}", 201);
            long seeding = System.nanoTime();
            inventory.post("/credentials/bulk", "text/csv", graph(), 200);
            long seeded = (System.nanoTime() - seeding) / 1_000_000;

            List<Long> millis = new ArrayList<>();
            JsonNode radius = null;
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                String answer = inventory.post("/breaches?dryRun=true", "application/json",
                        "{\"title\":\"Okta\",\"selector\":{\"providers\":[\"okta\"]}}", 200);
                millis.add((System.nanoTime() - start) / 1_000_000);
                if (run == RUNS - 1) {
                    radius = json.readTree(answer);
                }
            }
            int total = radius.get("total").asInt();
            int direct = 0;
            int longest = 0;
            for (JsonNode credential : radius.get("credentials")) {
                JsonNode path = credential.get("path");
                if (credential.get("matchedBy").isEmpty()) {
                    // reached through the graph: the path starts at Okta and ends at a system it is exposed through
                    assertThat(path.get(0).get("id").asText()).isEqualTo("okta");
                    longest = Math.max(longest, path.size());
                } else {
                    direct++;
                }
            }
            List<Long> sorted = new ArrayList<>(millis.subList(1, RUNS)); // the first run warms the service up
            Collections.sort(sorted);
            System.out.printf("BENCHMARK blast radius dry run, %d credentials with %d edges (seeded by bulk import in"
                            + " %d ms): %d in the radius (%d direct, the longest path %d steps); first run %d ms, then"
                            + " min %d ms, median %d ms, max %d ms; service heap -Xmx256m%n", CREDENTIALS,
                    4 * CREDENTIALS, seeded, total, direct, longest, millis.get(0), sorted.get(0),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            assertThat(direct).isEqualTo(EXPOSED_THROUGH_OKTA);
            assertThat(total).isGreaterThan(CREDENTIALS * 9 / 10);
            assertThat(longest).isGreaterThan(3);
            assertThat(inventory.isAlive()).isTrue();
        }
    }

    /** The bulk import: credential i is exposed through two systems (or Okta and one) and opens two others. */
    private static String graph() {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder(CREDENTIALS * 160).append(BulkBodies.CSV_HEADER).append('\n');
        for (int i = 0; i < CREDENTIALS; i++) {
            String exposedVia = (i < EXPOSED_THROUGH_OKTA ? "okta" : system(random)) + ";" + system(random);
            String grants = system(random) + ";" + system(random);
            csv.append(String.join(",", "radius-" + i, "login " + i, "postgresql-role", "secret", "radius/" + i,
                    "u_radius_" + i, "radius-pg", "radius", "radius", exposedVia, grants, "90", "password:32",
                    "in-place")).append('\n');
        }
        return csv.toString();
    }

    private static String system(Random random) {
        return "sys-" + random.nextInt(SYSTEMS);
    }
}
