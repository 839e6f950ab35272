package dev.rekey.notifier;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.OwnerRef;
import dev.rekey.notifier.support.Campaigns;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.NotifierDb;
import dev.rekey.notifier.support.TopicPublisher;
import dev.rekey.notifier.support.NotifierStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = NotifierDb.NAME))
@WithTestResource(NotifierStack.class)
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
                .body(containsString("SmallRye Reactive Messaging")));
    }

    /** The rekey_* names are exactly NAMES.md's for the notifier (after some message was sent or retried). */
    @Test
    void theNotifiersOwnMetricsAreExactlyTheAgreedNames() {
        OwnerRef owner = Campaigns.owner("metrics");
        UUID breachId = UUID.randomUUID();
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.breachReported(Campaigns.breach(breachId, "Metered", Campaigns.share(owner, 1)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> new Mailbox(owner.email()).all().size() == 1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rekeyNames())
                .contains("rekey_notifications_total", "rekey_notification_retry_queue"));
        Set<String> names = rekeyNames();
        assertThat(names).allMatch(name -> Set.of("rekey_notifications_total", "rekey_notification_retry_queue",
                        "rekey_notification_latency_seconds").contains(name.replaceAll("_(bucket|count|sum|max)$", "")),
                "only the agreed names");
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("rekey_notifications_total\\{channel=\"email\",kind=\"[a-z-]+\",outcome=\"(sent|retry|failed)\"");
        assertThat(metrics).contains("kafka_consumer");
    }

    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    private static Set<String> rekeyNames() {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^(rekey_[a-z_]+)").matcher(metrics);
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
