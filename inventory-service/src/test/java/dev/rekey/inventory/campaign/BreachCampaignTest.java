package dev.rekey.inventory.campaign;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.events.BreachReported;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.support.Campaign;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.KafkaRecords;
import dev.rekey.inventory.support.Tokens;
import dev.rekey.inventory.support.WorkerEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.rekey.inventory.support.Inventory.as;
import static dev.rekey.inventory.support.Inventory.credential;
import static dev.rekey.inventory.support.Inventory.credentialBody;
import static dev.rekey.inventory.support.Inventory.owner;
import static dev.rekey.inventory.support.Inventory.system;
import static dev.rekey.inventory.support.Inventory.unique;
import static dev.rekey.inventory.support.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class BreachCampaignTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    @Test
    void breachOfASystemRotatesItsThreeCredentialsAndCompletesWhenAllAreRotated() {
        String alice = owner(unique("alice"));
        String bob = owner(unique("bob"));
        String pg = system(unique("pg"));
        String untouched = system(unique("pg"));
        Set<String> ids = Set.of(credential(unique("a1"), pg, alice, List.of(), List.of()),
                credential(unique("a2"), pg, alice, List.of(), List.of()),
                credential(unique("b1"), pg, bob, List.of(), List.of()));
        String spared = credential(unique("spared"), untouched, alice, List.of(), List.of());

        var accepted = as(Tokens.incidentCommander())
                .body(Map.of("title", "pg host compromised", "reason", "test", "selector", Map.of("systems", List.of(pg))))
                .post("/api/v1/breaches")
                .then().statusCode(202)
                .body("total", equalTo(3), "pending", equalTo(3), "retrying", equalTo(0), "status", equalTo("RUNNING"),
                        "reportedBy", equalTo("test-ic"))
                .extract();
        String breachId = accepted.path("id");
        assertThat(accepted.header("Location")).endsWith("/api/v1/breaches/" + breachId);

        List<ConsumerRecord<String, String>> due = KafkaRecords.read(Topics.ROTATION_DUE_URGENT,
                r -> ids.contains(header(r, "ce_subject")) || spared.equals(header(r, "ce_subject")), 3, KAFKA_WAIT);
        assertThat(due).extracting(r -> header(r, "ce_subject")).containsExactlyInAnyOrderElementsOf(ids);
        for (ConsumerRecord<String, String> record : due) {
            assertThat(header(record, "ce_type")).isEqualTo(EventTypes.ROTATION_DUE);
            assertThat(header(record, "ce_source")).isEqualTo(EventTypes.SOURCE_INVENTORY);
            // keyed by system: one system's rotations share a partition; the subject is the credential
            assertThat(record.key()).isEqualTo(pg);
            assertThat(header(record, "ce_id")).isNotBlank();
            RotationDue event = EventJson.decode(record.value(), RotationDue.class);
            assertThat(event.credentialId()).isEqualTo(header(record, "ce_subject"));
            assertThat(event.recordKey()).isEqualTo(record.key());
            assertThat(event.cause().type()).isEqualTo(CauseType.BREACH);
            assertThat(event.cause().breachId()).hasToString(breachId);
            assertThat(event.terminateSessions()).isTrue();
            assertThat(event.target().type()).isEqualTo("postgresql");
            assertThat(event.target().host()).isEqualTo("db.internal");
            assertThat(event.target().adminSecretPath()).isEqualTo("secret/rekey/systems/" + pg);
            assertThat(event.target().maxConcurrentRotations()).isEqualTo(7);
            assertThat(event.policy().generator()).isEqualTo("password:32");
            assertThat(event.policy().strategy()).isEqualTo("in-place");
            assertThat(event.owner().ownerId()).isEqualTo(event.credentialId().startsWith("b1") ? bob : alice);
            assertThat(event.credential().vaultPath()).isEqualTo("apps/" + event.credentialId() + "/db");
        }

        List<ConsumerRecord<String, String>> reported = KafkaRecords.read(Topics.BREACH_REPORTED,
                r -> breachId.equals(r.key()), 1, KAFKA_WAIT);
        assertThat(reported).hasSize(1);
        assertThat(header(reported.get(0), "ce_type")).isEqualTo(EventTypes.BREACH_REPORTED);
        BreachReported breach = EventJson.decode(reported.get(0).value(), BreachReported.class);
        assertThat(breach.credentialCount()).isEqualTo(3);
        assertThat(breach.owners()).extracting(BreachReported.OwnerCount::ownerId, BreachReported.OwnerCount::count)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(alice, 2),
                        org.assertj.core.groups.Tuple.tuple(bob, 1));

        for (ConsumerRecord<String, String> record : due) {
            WorkerEvents.rotated(EventJson.decode(record.value(), RotationDue.class), 2);
        }
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(breachId)
                .body("rotated", equalTo(3), "pending", equalTo(0), "status", equalTo("COMPLETED")));
        for (String id : ids) {
            as(Tokens.admin()).get("/api/v1/credentials/" + id).then()
                    .body("version", equalTo(2), "status", equalTo("ACTIVE"));
        }
        as(Tokens.auditor()).queryParam("status", "ROTATED").get("/api/v1/breaches/" + breachId + "/credentials")
                .then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void metricsCountRunningCampaignCredentialsAndEachResultOnce() {
        double appliedBefore = metric("rekey_results_applied_total{type=\"secret-rotated\"}");
        Campaign campaign = Campaign.of(2);
        await().atMost(KAFKA_WAIT).until(() -> metric("rekey_campaign_credentials{status=\"pending\"}") >= 2);
        assertThat(metric("rekey_outbox_pending")).isGreaterThanOrEqualTo(0);

        String eventId = UUID.randomUUID().toString();
        WorkerEvents.rotated(campaign.due().get(0), 2, eventId);
        WorkerEvents.rotated(campaign.due().get(0), 2, eventId); // a duplicate: not counted
        WorkerEvents.rotated(campaign.due().get(1), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId()).body("rotated", equalTo(2)));
        await().atMost(KAFKA_WAIT).until(() -> metric("rekey_results_applied_total{type=\"secret-rotated\"}")
                >= appliedBefore + 2);
        assertThat(metric("rekey_results_applied_total{type=\"secret-rotated\"}")).isEqualTo(appliedBefore + 2);
    }

    /** A sample of the Prometheus scrape on the management port, 0 when absent. */
    private static double metric(String series) {
        String scrape = dev.rekey.inventory.support.Management.management().get("/q/metrics").asString();
        return scrape.lines().filter(line -> line.startsWith(series + " "))
                // the value, then maybe an exemplar ("# {trace_id=...} 1.0 ...")
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
                .findFirst().orElse(0);
    }

    @Test
    void duplicateResultEventChangesNothing() {
        Campaign campaign = Campaign.of(1);
        RotationDue due = campaign.due().get(0);
        String eventId = UUID.randomUUID().toString();
        WorkerEvents.rotated(due, 2, eventId);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId()).body("rotated", equalTo(1)));

        // the same CloudEvent again, with a payload that would show if it were applied
        WorkerEvents.rotated(due, 99, eventId);
        // a later event on the same partition: once it is applied, the duplicate before it was consumed
        WorkerEvents.rotatedManually(due.credentialId(), 3);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin())
                .get("/api/v1/credentials/" + due.credentialId()).then().body("version", equalTo(3)));
        as(Tokens.admin()).get("/api/v1/breaches/" + campaign.breachId() + "/credentials").then()
                .body("items[0].version", equalTo(2), "items[0].status", equalTo("ROTATED"));
        assertThat(Database.count("SELECT count(*) FROM processed_events WHERE event_id = ?", eventId)).isEqualTo(1);
    }

    @Test
    void nonFinalFailureShowsRetryingWithReasonAndAttemptsAndALaterSuccessRotates() {
        Campaign campaign = Campaign.of(2);
        RotationDue flaky = campaign.due().get(1);
        WorkerEvents.failed(flaky, 1, false, "downstream unreachable: connection refused");
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("retrying", equalTo(1), "pending", equalTo(1), "status", equalTo("RUNNING")));
        as(Tokens.admin()).queryParam("status", "RETRYING").get("/api/v1/breaches/" + campaign.breachId() + "/credentials")
                .then().statusCode(200).body("total", equalTo(1),
                        "items[0].credentialId", equalTo(flaky.credentialId()),
                        "items[0].status", equalTo("RETRYING"),
                        "items[0].reason", equalTo("downstream unreachable: connection refused"),
                        "items[0].attempts", equalTo(1));
        as(Tokens.admin()).queryParam("status", "PENDING").get("/api/v1/breaches/" + campaign.breachId() + "/credentials")
                .then().body("total", equalTo(1), "items[0].credentialId", equalTo(campaign.due().get(0).credentialId()));

        WorkerEvents.failed(flaky, 2, false, "downstream unreachable: timeout");
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin()).queryParam("status", "RETRYING")
                .get("/api/v1/breaches/" + campaign.breachId() + "/credentials")
                .then().body("items[0].attempts", equalTo(2), "items[0].reason", equalTo("downstream unreachable: timeout")));

        WorkerEvents.rotated(flaky, 4);
        WorkerEvents.rotated(campaign.due().get(0), 2);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("rotated", equalTo(2), "retrying", equalTo(0), "pending", equalTo(0), "failed", equalTo(0),
                        "status", equalTo("COMPLETED")));
        as(Tokens.admin()).queryParam("status", "ROTATED").get("/api/v1/breaches/" + campaign.breachId() + "/credentials")
                .then().body("total", equalTo(2),
                        "items.find { it.credentialId == '" + flaky.credentialId() + "' }.version", equalTo(4));
    }

    @Test
    void finalFailureAfterRetriesIsFailedWithItsReasonAndCompletesTheCampaign() {
        Campaign campaign = Campaign.of(2);
        WorkerEvents.rotated(campaign.due().get(0), 5);
        WorkerEvents.failed(campaign.due().get(1), 1, false);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("status", equalTo("RUNNING"), "rotated", equalTo(1), "retrying", equalTo(1), "pending", equalTo(0)));

        WorkerEvents.failed(campaign.due().get(1), 3, true, "new value refused, \"old\" one still works");
        await().atMost(KAFKA_WAIT).untilAsserted(() -> breach(campaign.breachId())
                .body("status", equalTo("COMPLETED"), "failed", equalTo(1), "rotated", equalTo(1),
                        "retrying", equalTo(0), "pending", equalTo(0)));
        as(Tokens.admin()).queryParam("status", "FAILED").get("/api/v1/breaches/" + campaign.breachId() + "/credentials")
                .then().body("items[0].credentialId", equalTo(campaign.due().get(1).credentialId()),
                        "items[0].reason", equalTo("new value refused, \"old\" one still works"),
                        "items[0].attempts", equalTo(3));
        as(Tokens.admin()).get("/api/v1/credentials/" + campaign.due().get(1).credentialId())
                .then().body("status", equalTo("ROTATION_FAILED"));
        // a late non-final failure of the same rotation does not reopen it
        WorkerEvents.failed(campaign.due().get(1), 2, false);
        WorkerEvents.rotatedManually(campaign.due().get(1).credentialId(), 9);
        await().atMost(KAFKA_WAIT).untilAsserted(() -> as(Tokens.admin())
                .get("/api/v1/credentials/" + campaign.due().get(1).credentialId()).then().body("version", equalTo(9)));
        breach(campaign.breachId()).body("failed", equalTo(1), "retrying", equalTo(0), "status", equalTo("COMPLETED"));
    }

    @Test
    void statusFilterAcceptsTheFourStatesAndRejectsOthers() {
        Campaign campaign = Campaign.of(1);
        for (String status : List.of("PENDING", "RETRYING", "ROTATED", "FAILED")) {
            as(Tokens.auditor()).queryParam("status", status)
                    .get("/api/v1/breaches/" + campaign.breachId() + "/credentials").then().statusCode(200)
                    .body("total", equalTo(status.equals("PENDING") ? 1 : 0));
        }
        as(Tokens.auditor()).queryParam("status", "IN_PROGRESS")
                .get("/api/v1/breaches/" + campaign.breachId() + "/credentials").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void campaignLeftOpenByConcurrentLastResultsIsClosedByTheTimer() throws Exception {
        Campaign campaign = Campaign.of(1);
        // what two transactions that applied the last two results at once leave behind: nothing pending, no end
        try (var connection = Database.connect(); var update = connection.prepareStatement(
                "UPDATE breach_credentials SET status = 'ROTATED', version = 2 WHERE breach_id = ?")) {
            update.setObject(1, UUID.fromString(campaign.breachId()));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> breach(campaign.breachId())
                .body("status", equalTo("COMPLETED"), "completedAt", org.hamcrest.Matchers.notNullValue()));
    }

    @Test
    void dryRunShowsTheRadiusAndWhyButStoresAndEmitsNothing() {
        String owner = owner(unique("team"));
        String pg = system(unique("pg"));
        String bySystem = credential(unique("sys"), pg, owner, List.of(), List.of());
        String byProvider = credential(unique("okta"), system(unique("pg")), owner, List.of(), List.of("okta-" + pg));
        long breaches = Database.count("SELECT count(*) FROM breaches");

        as(Tokens.admin()).queryParam("dryRun", true)
                .body(Map.of("title", "what if", "selector", Map.of("systems", List.of(pg), "providers", List.of("okta-" + pg))))
                .post("/api/v1/breaches")
                .then().statusCode(200)
                .body("total", equalTo(2),
                        "credentials.find { it.credentialId == '" + bySystem + "' }.matchedBy[0].clause", equalTo("systems"),
                        "credentials.find { it.credentialId == '" + byProvider + "' }.matchedBy[0].clause", equalTo("providers"),
                        "credentials.find { it.credentialId == '" + byProvider + "' }.matchedBy[0].values[0]", equalTo("okta-" + pg));

        assertThat(Database.count("SELECT count(*) FROM breaches")).isEqualTo(breaches);
        assertThat(Database.count("SELECT count(*) FROM outbox WHERE aggregateid IN (?, ?)", bySystem, byProvider)).isZero();
        assertThat(KafkaRecords.read(Topics.ROTATION_DUE_URGENT, r -> bySystem.equals(header(r, "ce_subject"))
                || byProvider.equals(header(r, "ce_subject")), 1, Duration.ofSeconds(3))).isEmpty();
        as(Tokens.admin()).get("/api/v1/credentials/" + bySystem).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void theGraphAddsWhatACompromisedCredentialOpensAndItsPathCyclesIncluded() {
        String owner = owner(unique("team"));
        String okta = unique("okta");
        String runners = system(unique("runners"));
        String vault = system(unique("vault"));
        // okta -> deploy token (grants runners) -> runner secret (exposed via runners, grants vault) -> vault token,
        // which grants runners again: a cycle
        String token = graphCredential(unique("deploy-token"), owner, List.of(okta), List.of(runners));
        String runnerSecret = graphCredential(unique("runner-secret"), owner, List.of(runners), List.of(vault));
        String vaultToken = graphCredential(unique("vault-token"), owner, List.of(vault), List.of(runners));
        String unrelated = graphCredential(unique("unrelated"), owner, List.of(unique("github")), List.of(vault));

        as(Tokens.admin()).queryParam("dryRun", true)
                .body(Map.of("title", "okta", "selector", Map.of("providers", List.of(okta))))
                .post("/api/v1/breaches")
                .then().statusCode(200)
                .body("total", equalTo(3),
                        "credentials.credentialId", org.hamcrest.Matchers.containsInAnyOrder(token, runnerSecret,
                                vaultToken),
                        "credentials.find { it.credentialId == '" + token + "' }.matchedBy[0].clause",
                        equalTo("providers"),
                        "credentials.find { it.credentialId == '" + token + "' }.path.size()", equalTo(0),
                        "credentials.find { it.credentialId == '" + runnerSecret + "' }.matchedBy.size()", equalTo(0),
                        "credentials.find { it.credentialId == '" + runnerSecret + "' }.path.id",
                        org.hamcrest.Matchers.contains(okta, token, runners),
                        "credentials.find { it.credentialId == '" + vaultToken + "' }.path.id",
                        org.hamcrest.Matchers.contains(okta, token, runners, runnerSecret, vault),
                        "credentials.find { it.credentialId == '" + vaultToken + "' }.path.via",
                        org.hamcrest.Matchers.contains("provider", "credential", "system", "credential", "system"),
                        "credentials.findAll { it.credentialId == '" + unrelated + "' }.size()", equalTo(0));
    }

    private static String graphCredential(String id, String owner, List<String> exposedVia, List<String> grants) {
        Map<String, Object> body = new java.util.HashMap<>(
                credentialBody(id, system(unique("pg")), owner, List.of(), exposedVia));
        body.put("grantsAccessTo", grants);
        as(Tokens.admin()).body(body).post("/api/v1/credentials").then().statusCode(201);
        return id;
    }

    @Test
    void credentialIdsSelectExactlyThoseCredentials() {
        String owner = owner(unique("team"));
        String pg = system(unique("pg"));
        String chosen = credential(unique("chosen"), pg, owner, List.of(), List.of());
        String sibling = credential(unique("sibling"), pg, owner, List.of(), List.of());

        as(Tokens.admin()).queryParam("dryRun", true)
                .body(Map.of("title", "one leaked key", "selector", Map.of("credentialIds", List.of(chosen))))
                .post("/api/v1/breaches")
                .then().statusCode(200)
                .body("total", equalTo(1),
                        "credentials[0].credentialId", equalTo(chosen),
                        "credentials[0].matchedBy[0].clause", equalTo("credentialIds"),
                        "credentials.findAll { it.credentialId == '" + sibling + "' }.size()", equalTo(0));
    }

    @Test
    void credentialIdsNamingUnknownCredentialsAre400NamingThemAndNothingIsStored() {
        String known = credential(unique("known"), system(unique("pg")), owner(unique("team")), List.of(), List.of());
        String typo = unique("no-such-credential");
        String other = unique("also-missing");
        long breaches = Database.count("SELECT count(*) FROM breaches");
        for (boolean dryRun : List.of(true, false)) {
            as(Tokens.admin()).queryParam("dryRun", dryRun)
                    .body(Map.of("title", "typo", "selector", Map.of("credentialIds", List.of(known, typo, other))))
                    .post("/api/v1/breaches")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("selector.credentialIds"),
                            "errors[0].message", org.hamcrest.Matchers.allOf(
                                    org.hamcrest.Matchers.containsString(typo),
                                    org.hamcrest.Matchers.containsString(other),
                                    org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(known))));
        }
        assertThat(Database.count("SELECT count(*) FROM breaches")).isEqualTo(breaches);
        assertThat(Database.count("SELECT count(*) FROM outbox WHERE aggregateid = ?", known)).isZero();
        as(Tokens.admin()).get("/api/v1/credentials/" + known).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void unknownSelectorFieldsAre400AndNothingIsStored() {
        String known = credential(unique("known"), system(unique("pg")), owner(unique("team")), List.of(), List.of());
        long breaches = Database.count("SELECT count(*) FROM breaches");
        for (String field : List.of("credentialId", "system", "ALL")) {
            as(Tokens.admin())
                    .body(Map.of("title", "typo", "selector", Map.of("credentialIds", List.of(known), field, List.of("x"))))
                    .post("/api/v1/breaches")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        assertThat(Database.count("SELECT count(*) FROM breaches")).isEqualTo(breaches);
    }

    @Test
    void emptySelectorIsRejectedAndNothingIsStored() {
        long breaches = Database.count("SELECT count(*) FROM breaches");
        as(Tokens.admin()).body(Map.of("title", "nothing", "selector", Map.of("tags", List.of())))
                .post("/api/v1/breaches")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("selector"));
        as(Tokens.admin()).body(Map.of("title", "no selector"))
                .post("/api/v1/breaches")
                .then().statusCode(400);
        assertThat(Database.count("SELECT count(*) FROM breaches")).isEqualTo(breaches);
    }

    @Test
    void unknownBreachIsNotFound() {
        as(Tokens.auditor()).get("/api/v1/breaches/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        as(Tokens.auditor()).get("/api/v1/breaches/not-a-uuid").then().statusCode(404);
    }

    private static ValidatableResponse breach(String id) {
        return as(Tokens.auditor()).get("/api/v1/breaches/" + id).then().statusCode(200);
    }
}
