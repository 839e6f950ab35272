package dev.rekey.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON mapping of events as design.md states it, through the one entry point services use. */
class EventJsonTest {

    static Stream<Record> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyEventRoundTripsToAnEqualRecord(Record event) {
        String json = EventJson.encode(event);

        assertThat(EventJson.decode(json, event.getClass())).isEqualTo(event);
    }

    @Test
    void fieldNamesAreThoseOfTheDesign() {
        assertThat(keys(tree(Samples.breachReported()))).containsExactlyInAnyOrder("breachId", "title", "reason",
                "selector", "reportedBy", "reportedAt", "credentialCount", "owners");
        assertThat(keys(tree(Samples.breachReported()).get("owners").get(0)))
                .containsExactlyInAnyOrder("ownerId", "email", "count");
        assertThat(keys(tree(Samples.breachReported()).get("selector"))).containsExactlyInAnyOrder("providers",
                "systems", "tags", "owners", "credentialIds", "issuedBefore", "all");
        JsonNode due = tree(Samples.rotationDue());
        assertThat(keys(due)).containsExactlyInAnyOrder("rotationId", "credentialId", "cause", "credential",
                "target", "policy", "owner", "terminateSessions", "requestedAt");
        assertThat(keys(due.get("cause"))).containsExactlyInAnyOrder("type", "breachId");
        assertThat(keys(due.get("credential")))
                .containsExactlyInAnyOrder("kind", "vaultMount", "vaultPath", "username", "systemId");
        assertThat(keys(due.get("target"))).containsExactlyInAnyOrder("type", "host", "port", "database",
                "adminSecretPath", "maxConcurrentRotations");
        JsonNode http = tree(Samples.rotationDueHttp());
        assertThat(keys(http.get("credential"))).contains("alternateUsername");
        assertThat(keys(http.get("target"))).contains("settings");
        assertThat(keys(http.get("target").get("settings")))
                .containsExactlyInAnyOrder("managementPort", "tls", "set", "test", "revoke");
        assertThat(keys(http.get("target").get("settings").get("set")))
                .containsExactlyInAnyOrder("method", "path", "headers", "bodyTemplate");
        assertThat(keys(due.get("policy"))).containsExactlyInAnyOrder("generator", "strategy");
        assertThat(keys(due.get("owner"))).containsExactlyInAnyOrder("ownerId", "email");
        assertThat(keys(tree(Samples.secretRotated()))).containsExactlyInAnyOrder("rotationId", "credentialId",
                "vaultMount", "vaultPath", "version", "previousVersion", "activeUsername", "cause", "owner", "rotatedAt",
                "durationMs");
        assertThat(keys(tree(Samples.rotationFailed()))).containsExactlyInAnyOrder("rotationId", "credentialId",
                "step", "reason", "attempts", "final", "oldCredential", "cause", "owner", "failedAt");
        JsonNode owner = tree(Samples.ownerChanged());
        assertThat(keys(owner)).containsExactlyInAnyOrder("ownerId", "name", "email", "channels");
        assertThat(keys(owner.get("channels"))).containsExactlyInAnyOrder("slackWebhookSecretPath", "webhook");
        assertThat(keys(owner.get("channels").get("webhook"))).containsExactlyInAnyOrder("url", "signingSecretPath");
    }

    @Test
    void rotationFailedWritesFinalAttemptAsFinal() {
        JsonNode json = tree(Samples.rotationFailed());

        assertThat(json.get("final").isBoolean()).isTrue();
        assertThat(json.get("final").booleanValue()).isTrue();
        assertThat(json.has("finalAttempt")).isFalse();
    }

    @Test
    void instantsAndIdsAreIsoAndCanonicalStrings() {
        JsonNode json = tree(Samples.rotationDue());

        assertThat(json.get("requestedAt").isTextual()).isTrue();
        assertThat(json.get("requestedAt").textValue()).isEqualTo("2024-03-01T10:15:30.123456789Z");
        assertThat(json.get("rotationId").textValue()).isEqualTo(Samples.ROTATION_ID.toString());
        assertThat(json.get("cause").get("type").textValue()).isEqualTo("BREACH");
        assertThat(json.get("target").get("port").isInt()).isTrue();
    }

    @Test
    void absentOptionalFieldsAreLeftOutRatherThanWrittenAsNull() {
        JsonNode breach = tree(Samples.breachReportedMinimal());
        JsonNode due = tree(Samples.rotationDueMinimal());

        assertThat(breach.has("reason")).isFalse();
        assertThat(breach.get("selector").has("issuedBefore")).isFalse();
        assertThat(due.get("cause").has("breachId")).isFalse();
        assertThat(due.get("target").has("database")).isFalse();
        for (Record sample : Samples.all()) {
            assertThat(EventJson.encode(sample)).as(sample.getClass().getSimpleName()).doesNotContain("null");
        }
    }

    @Test
    void derivedAccessorsAreNotPartOfTheJson() {
        assertThat(keys(tree(Samples.breachReportedMinimal()).get("selector"))).doesNotContain("empty");
    }

    @Test
    void unknownFieldsAreIgnoredSoThatOlderConsumersReadNewerProducers() {
        ObjectNode json = (ObjectNode) tree(Samples.rotationDue());
        json.putObject("escalation").put("level", 2);
        ((ObjectNode) json.get("owner")).put("phone", "+41 00 000 00 00");
        ((ObjectNode) json.get("target")).putArray("replicas").add("db-2.internal");

        assertThat(EventJson.decode(json.toString(), RotationDue.class)).isEqualTo(Samples.rotationDue());
    }

    @Test
    void anAbsentListInASelectorReadsAsEmpty() {
        BreachSelector selector = EventJson.decode("{\"all\":true}", BreachSelector.class);

        assertThat(selector.providers()).isEmpty();
        assertThat(selector.credentialIds()).isEmpty();
        assertThat(selector.isEmpty()).isFalse();
    }

    private static JsonNode tree(Record event) {
        try {
            return EventJson.mapper().readTree(EventJson.encode(event));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Set<String> keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return Set.copyOf(names);
    }
}
