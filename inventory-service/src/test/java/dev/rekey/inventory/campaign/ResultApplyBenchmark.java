package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many result events per second the inventory applies: a campaign of 5,000 credentials, 5,000
 * {@code secret-rotated} put on the broker at once, progress sampled until the campaign completes. Prints numbers,
 * asserts none (the build machines are shared). On demand only (not a {@code *Test}):
 * {@code ./mvnw -B -o -pl inventory-service -am verify -Dtest=ResultApplyBenchmark -Dit.test=none
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class ResultApplyBenchmark {

    private static final int CREDENTIALS = Integer.getInteger("benchmark.credentials", 5000);

    @Test
    void resultsAppliedPerSecondForAFiveThousandCredentialCampaign() throws Exception {
        String owner = owner(unique("team"));
        String system = system(unique("pg"));
        String tag = unique("bench");
        List<String> ids = IntStream.range(0, CREDENTIALS).mapToObj(i -> tag + "-" + i).toList();
        Database.seedCredentials(ids, system, owner, tag);
        String breachId = as(Tokens.admin()).body(Map.of("title", "bench", "selector", Map.of("tags", List.of(tag))))
                .post("/api/v1/breaches").then().statusCode(202).extract().path("id");
        Set<String> expected = Set.copyOf(ids);
        List<RotationDue> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                        r -> expected.contains(KafkaRecords.header(r, "ce_subject")), CREDENTIALS, Duration.ofSeconds(120))
                .stream().map(r -> EventJson.decode(r.value(), RotationDue.class)).toList();
        assertThat(due).hasSize(CREDENTIALS);

        long start = System.nanoTime();
        KafkaRecords.sendAll(due.stream().map(d -> WorkerEvents.rotatedRecord(d, 2, UUID.randomUUID().toString()))
                .toList());
        long sent = System.nanoTime();
        System.out.printf("BENCHMARK results: %d secret-rotated on the broker in %d ms%n", CREDENTIALS,
                (sent - start) / 1_000_000);
        long rotated = 0;
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            rotated = Database.count("SELECT count(*) FROM breach_credentials WHERE breach_id = ? AND status = 'ROTATED'",
                    UUID.fromString(breachId));
            long elapsed = System.nanoTime() - start;
            System.out.printf("BENCHMARK results: %5d applied after %6d ms (%d/s)%n", rotated, elapsed / 1_000_000,
                    rotated * 1_000_000_000L / Math.max(1, elapsed));
            if (Database.count("SELECT count(*) FROM breaches WHERE id = ? AND completed_at IS NOT NULL",
                    UUID.fromString(breachId)) == 1) {
                break;
            }
        }
        long elapsed = System.nanoTime() - start;
        System.out.printf("BENCHMARK results: campaign of %d completed, %d results applied in %d ms: %d results/s%n",
                CREDENTIALS, rotated, elapsed / 1_000_000, rotated * 1_000_000_000L / Math.max(1, elapsed));
    }

}
