package dev.rekey.notifier;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SmtpResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifier_test"))
@WithTestResource(SmtpResource.class)
class OperationsEndpointsTest {

    /** Health and metrics are on the management interface, not on the API port. */
    private static io.restassured.specification.RequestSpecification management() {
        java.net.URI uri = java.net.URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getManagementUri());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }

    @Test
    void readinessIsUpOnceKafkaAndTheDatabaseAreConnected() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> management().get("/q/health/ready").then()
                .statusCode(200)
                .body(containsString("\"status\": \"UP\""))
                .body(containsString("Database connections health check"))
                .body(containsString("SmallRye Reactive Messaging")));
    }

    @Test
    void prometheusMetricsAreExposed() {
        management().get("/q/metrics").then().statusCode(200).body(containsString("kafka_consumer"));
    }

    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
