package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A rotation nobody reports on any more does not hold its credential for ever: its claim expires into a final
 * failure that the inventory, the owner and every subscriber see, once.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class StaleRotationsTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    /** How long to look for a record that must not exist. */
    private static final Duration ABSENCE_WAIT = Duration.ofSeconds(4);
    private static final Duration TIMEOUT = Duration.ofHours(1);

    @Inject
    StaleRotations stale;

    @Test
    void aBreachRotationNotHeardOfExpiresIntoOneFinalFailureAndTheCredentialCanBeRotatedAgain() {
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        String breach = breach(id);
        RotationDue due = due(id, 1).get(0);
        // a second breach follows the rotation in flight
        String follower = breach(id);

        age(id, Duration.ofMinutes(59));
        assertThat(expire()).as("not silent for the timeout yet").isZero();
        age(id, TIMEOUT.plusMinutes(1));
        assertThat(expire()).isEqualTo(1);
        assertThat(expire()).as("expired once").isZero();

        assertThat(failures(id, due.rotationId(), 1, KAFKA_WAIT)).hasSize(1);
        List<RotationFailed> failures = failures(id, due.rotationId(), 2, ABSENCE_WAIT);
        assertThat(failures).as("one failure, however often the check runs").hasSize(1);
        RotationFailed failure = failures.get(0);
        assertThat(failure.finalAttempt()).isTrue();
        assertThat(failure.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        assertThat(failure.cause().type()).isEqualTo(CauseType.BREACH);
        assertThat(failure.cause().breachId()).hasToString(breach);
        assertThat(failure.owner().ownerId()).isEqualTo(team);
        assertThat(failure.reason()).contains("no word from a rotation worker for 1h");
        for (String b : List.of(breach, follower)) {
            await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(b)
                    .body("status", equalTo("COMPLETED"), "failed", equalTo(1)));
        }
        as(Tokens.auditor()).get("/api/v1/breaches/" + breach + "/credentials").then()
                .body("items[0].status", equalTo("FAILED"), "items[0].reason", containsString("no word"));
        assertThat(Database.count("SELECT count(*) FROM rotations_in_flight WHERE credential_id = ?", id)).isZero();
        as(Tokens.admin()).get("/api/v1/credentials/" + id).then().body("status", equalTo("ROTATION_FAILED"));

        // the retry rotates it again, and a late success of the lost rotation is the truth
        as(Tokens.incidentCommander()).post("/api/v1/breaches/" + breach + "/retry").then().statusCode(202);
        assertThat(due(id, 2)).hasSize(2);
        WorkerEvents.rotated(due, 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).get("/api/v1/credentials/" + id)
                .then().body("version", equalTo(2)));
    }

    @Test
    void aRotationTheWorkerKeepsRetryingDoesNotExpire() {
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        String breach = breach(id);
        RotationDue due = due(id, 1).get(0);

        age(id, TIMEOUT.plusMinutes(1));
        WorkerEvents.failed(due, 7, false, "downstream unreachable");
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach).body("retrying", equalTo(1)));
        assertThat(expire()).isZero();
        assertThat(failures(id, due.rotationId(), 2, ABSENCE_WAIT)).extracting(RotationFailed::finalAttempt)
                .containsExactly(false);
    }

    @Test
    void aBreachTakesOverAnExpiredClaimInsteadOfFollowingIt() {
        String team = owner(unique("team"));
        String id = credential(unique("c"), system(unique("pg")), team, List.of(), List.of());
        String manual = as(Tokens.admin()).post("/api/v1/credentials/" + id + "/rotate").then().statusCode(202)
                .extract().path("rotationId");
        age(id, TIMEOUT.plusMinutes(1));
        // marked expired, its failure not applied yet: as if the relay had not sent it
        Database.update("UPDATE rotations_in_flight SET expired_at = now() WHERE credential_id = ?", id);
        String breach = breach(id);
        List<RotationDue> due = due(id, 2);
        assertThat(due).extracting(d -> d.rotationId().toString()).startsWith(manual).hasSize(2);
        assertThat(due.get(1).cause().breachId()).hasToString(breach);
        WorkerEvents.rotated(due.get(1), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breachView(breach)
                .body("status", equalTo("COMPLETED"), "rotated", equalTo(1)));
    }

    /** One check, as the timer runs it (on a Vert.x context, as Hibernate Reactive needs). */
    private int expire() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> stale.expire(TIMEOUT));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the credential's claim look as if nobody had reported on it for {@code silence}. */
    private static void age(String credentialId, Duration silence) {
        assertThat(Database.update("UPDATE rotations_in_flight SET heard_at = now() - make_interval(secs => ?)"
                + " WHERE credential_id = ?", (double) silence.toSeconds(), credentialId)).isEqualTo(1);
    }

    private static String breach(String... credentialIds) {
        return as(Tokens.incidentCommander())
                .body(Map.of("title", "stale", "selector", Map.of("credentialIds", List.of(credentialIds))))
                .post("/api/v1/breaches").then().statusCode(202).extract().path("id");
    }

    private static List<RotationDue> due(String credentialId, int expected) {
        return KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> credentialId.equals(header(r, "ce_subject")),
                        expected, KAFKA_WAIT).stream()
                .map(r -> EventJson.decode(r.value(), RotationDue.class))
                .sorted(java.util.Comparator.comparing(RotationDue::requestedAt)).toList();
    }

    /** The rotation-failed records of a rotation (reads until {@code expected} or {@code wait}). */
    private static List<RotationFailed> failures(String credentialId, UUID rotationId, int expected, Duration wait) {
        return KafkaRecords.read(Topics.ROTATION_FAILED, r -> credentialId.equals(r.key())
                        && EventJson.decode(r.value(), RotationFailed.class).rotationId().equals(rotationId),
                expected, wait).stream().map(r -> EventJson.decode(r.value(), RotationFailed.class)).toList();
    }

    private static ValidatableResponse breachView(String id) {
        return as(Tokens.auditor()).get("/api/v1/breaches/" + id).then().statusCode(200);
    }
}
