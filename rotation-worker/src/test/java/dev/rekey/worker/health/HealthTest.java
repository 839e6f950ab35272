package dev.rekey.worker.health;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.rekey.events.Topics;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** Health and metrics on the management interface (NAMES.md), not on the application port. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class HealthTest {

    // relative to the management root, /q
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void readinessIsUpWithVaultKafkaAndTheConsumer() {
        given().when().get(ready).then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("vault", "rotation-due consumer"));
    }

    @Test
    void livenessWatchesTheConsumerLoop() {
        given().when().get(live).then().statusCode(200).body("checks.name", hasItem("rotation-due consumer loop"));
    }

    @Test
    void theWorkersMetricsHaveTheNamesAndLabelsEveryPartAgreedOn() throws Exception {
        TestCredential credential = TestCredential.create(2);
        UUID rotationId = UUID.randomUUID();
        credential.requestUrgent(credential.due(rotationId, false));
        KafkaIo.await(List.of(Topics.SECRET_ROTATED), r -> r.value().contains(rotationId.toString()), 1,
                Duration.ofSeconds(30));

        String scraped = given().when().get(metrics).then().statusCode(200).extract().asString();

        assertThat(scraped).contains("rekey_rotations_total{cause=\"BREACH\",outcome=\"rotated\",target=\"postgresql\"}")
                .contains("rekey_rotation_duration_seconds_bucket{cause=\"BREACH\",target=\"postgresql\",le=")
                .contains("rekey_rotations_in_flight{target=\"postgresql\"}")
                .contains("rekey_rotations_waiting{system=\"" + credential.systemId() + "\"}");
    }

    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
    }
}
