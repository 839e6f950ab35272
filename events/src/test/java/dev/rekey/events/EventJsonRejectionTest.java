package dev.rekey.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Payloads that {@link EventJson#decode} must refuse, with a {@link MalformedEventException} whose message says what
 * is wrong and where, and never repeats the payload: the message becomes the dead-letter reason and may be logged.
 * Every bad payload here carries the marker {@value #LEAK}, standing for a secret someone put in by mistake.
 */
class EventJsonRejectionTest {

    private static final String LEAK = "hunter2-LEAK";

    @ParameterizedTest
    @ValueSource(strings = {"password=" + LEAK, "{\"rotationId\": " + LEAK + "}", "{\"rotationId\":\"" + LEAK,
            "<xml>" + LEAK + "</xml>"})
    void notJsonIsRejectedWithItsPosition(String payload) {
        assertThat(rejected(payload, SecretRotated.class)).contains("not well-formed JSON at line 1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n"})
    void anEmptyPayloadIsRejected(String payload) {
        assertThat(rejected(payload, RotationDue.class)).isEqualTo("empty payload, expected RotationDue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"" + LEAK + "\"]", "\"" + LEAK + "\"", "42",
            "{\"type\":\"MANUAL\"} {\"x\":\"" + LEAK + "\"}"})
    void anythingButASingleJsonObjectIsRejected(String payload) {
        assertThat(rejected(payload, Cause.class)).isEqualTo("not a valid Cause: expected a single JSON object");
    }

    static Stream<Arguments> missingRequiredFields() {
        return Stream.of(
                missing(Samples.breachReported(), "breachId"),
                missing(Samples.breachReported(), "credentialCount"),
                missing(Samples.breachReported(), "selector.all"),
                missing(Samples.breachReported(), "owners[1].email"),
                missing(Samples.rotationDue(), "credentialId"),
                missing(Samples.rotationDue(), "terminateSessions"),
                missing(Samples.rotationDue(), "credential.vaultPath"),
                missing(Samples.rotationDue(), "target.port"),
                missing(Samples.rotationDue(), "target.maxConcurrentRotations"),
                missing(Samples.rotationDue(), "policy.generator"),
                missing(Samples.rotationDue(), "cause.type"),
                missing(Samples.secretRotated(), "version"),
                missing(Samples.secretRotated(), "previousVersion"),
                missing(Samples.secretRotated(), "rotatedAt"),
                missing(Samples.secretRotated(), "owner.email"),
                missing(Samples.rotationFailed(), "final"),
                missing(Samples.rotationFailed(), "reason"),
                missing(Samples.rotationFailed(), "oldCredential"),
                missing(Samples.ownerChanged(), "email"),
                missing(Samples.ownerChanged(), "channels.webhook.signingSecretPath"),
                missing(Samples.rotationDueHttp(), "target.settings.set.method"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingRequiredFields")
    void aMissingRequiredFieldIsRejectedByName(String type, String path, Class<?> eventType, String payload) {
        assertThat(rejected(payload, eventType)).startsWith("not a valid " + type + ": field '" + path + "'")
                .contains("missing");
    }

    @Test
    void anExplicitNullForAPrimitiveIsRejected() {
        String payload = edit(Samples.secretRotated(), json -> json.putNull("version"));

        assertThat(rejected(payload, SecretRotated.class)).contains("field 'version'");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                wrong(Samples.secretRotated(), "version", json -> json.put("version", LEAK), "wrong format"),
                wrong(Samples.secretRotated(), "rotationId", json -> json.put("rotationId", LEAK), "wrong format"),
                wrong(Samples.rotationFailed(), "failedAt", json -> json.put("failedAt", LEAK), "wrong format"),
                wrong(Samples.rotationFailed(), "attempts", json -> json.putObject("attempts").put("n", LEAK),
                        "wrong type"),
                wrong(Samples.rotationDue(), "cause.type", json -> obj(json, "cause").put("type", LEAK),
                        "wrong format"),
                wrong(Samples.rotationDue(), "target.port", json -> obj(json, "target").put("port", 3.5),
                        "wrong"),
                wrong(Samples.breachReported(), "owners", json -> json.putObject("owners").put("a", LEAK),
                        "wrong type"),
                wrong(Samples.breachReported(), "selector.providers",
                        json -> obj(json, "selector").put("providers", LEAK), "wrong type"));
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("wrongTypes")
    void aFieldOfTheWrongTypeIsRejectedByName(Class<?> eventType, String path, String payload, String what) {
        assertThat(rejected(payload, eventType)).contains("field '" + path + "'").contains(what);
    }

    @Test
    void aBreachCauseWithoutBreachIdIsRejected() {
        assertThatThrownBy(() -> new Cause(CauseType.BREACH, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("breachId");
        assertThat(rejected("{\"type\":\"BREACH\"}", Cause.class)).contains("breachId is required");
        String due = edit(Samples.rotationDue(), json -> obj(json, "cause").remove("breachId"));
        assertThat(rejected(due, RotationDue.class)).contains("field 'cause'").contains("breachId");
    }

    @Test
    void onlyABreachCauseMayCarryABreachId() {
        UUID breachId = UUID.randomUUID();
        assertThatThrownBy(() -> new Cause(CauseType.MANUAL, breachId)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rejected("{\"type\":\"SCHEDULED\",\"breachId\":\"" + breachId + "\"}", Cause.class))
                .contains("only for them").doesNotContain(breachId.toString());
        assertThat(Cause.breach(breachId).breachId()).isEqualTo(breachId);
        assertThat(Cause.manual().breachId()).isNull();
        assertThat(Cause.scheduled().type()).isEqualTo(CauseType.SCHEDULED);
    }

    /** Decodes and returns the message, checking that no exception in the chain repeats the payload. */
    private static String rejected(String payload, Class<?> type) {
        MalformedEventException e = catchThrowableOfType(MalformedEventException.class,
                () -> EventJson.decode(payload, type));
        assertThat(e).as("decoding must fail").isNotNull();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(LEAK).doesNotContain("hunter2");
            if (payload != null && payload.length() > 12) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(payload);
            }
        }
        return e.getMessage();
    }

    private static Arguments missing(Record sample, String path) {
        String payload = edit(sample, json -> remove(json, path));
        return Arguments.of(sample.getClass().getSimpleName(), path, sample.getClass(), payload);
    }

    private static Arguments wrong(Record sample, String path, Consumer<ObjectNode> change, String what) {
        return Arguments.of(sample.getClass(), path, edit(sample, change), what);
    }

    private static String edit(Record sample, Consumer<ObjectNode> change) {
        ObjectNode json = EventJson.mapper().valueToTree(sample);
        change.accept(json);
        return json.toString();
    }

    private static ObjectNode obj(ObjectNode json, String field) {
        return (ObjectNode) json.get(field);
    }

    /** Removes {@code a.b[1].c}-style paths. */
    private static void remove(ObjectNode json, String path) {
        String[] steps = path.replace("[", ".[").split("\\.");
        JsonNode node = json;
        for (int i = 0; i < steps.length - 1; i++) {
            node = steps[i].startsWith("[") ? ((ArrayNode) node).get(index(steps[i])) : node.get(steps[i]);
        }
        ((ObjectNode) node).remove(steps[steps.length - 1]);
    }

    private static int index(String step) {
        return Integer.parseInt(step.substring(1, step.length() - 1));
    }
}
