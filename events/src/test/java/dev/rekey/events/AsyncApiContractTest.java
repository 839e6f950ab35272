package dev.rekey.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code src/main/asyncapi/rekey.yaml} in step with the records, {@link Topics} and {@link EventTypes}: a
 * change on either side without the other fails here.
 */
class AsyncApiContractTest {

    /** The table of design.md: which topic carries which payload, CloudEvents type and source. */
    record Contract(String topic, Class<? extends Record> payload, String type, String source) {
    }

    static final List<Contract> CONTRACTS = List.of(
            new Contract(Topics.BREACH_REPORTED, BreachReported.class, EventTypes.BREACH_REPORTED,
                    EventTypes.SOURCE_INVENTORY),
            new Contract(Topics.ROTATION_DUE_URGENT, RotationDue.class, EventTypes.ROTATION_DUE,
                    EventTypes.SOURCE_INVENTORY),
            new Contract(Topics.ROTATION_DUE, RotationDue.class, EventTypes.ROTATION_DUE, EventTypes.SOURCE_INVENTORY),
            new Contract(Topics.ROTATION_DUE_RETRY, RotationDue.class, EventTypes.ROTATION_DUE,
                    EventTypes.SOURCE_WORKER),
            new Contract(Topics.OWNERS, OwnerChanged.class, EventTypes.OWNER_CHANGED, EventTypes.SOURCE_INVENTORY),
            new Contract(Topics.SECRET_ROTATED, SecretRotated.class, EventTypes.SECRET_ROTATED,
                    EventTypes.SOURCE_WORKER),
            new Contract(Topics.ROTATION_FAILED, RotationFailed.class, EventTypes.ROTATION_FAILED,
                    EventTypes.SOURCE_WORKER));

    private static final List<String> CLOUD_EVENT_HEADERS =
            List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time", "content-type");

    private final AsyncApiDocument document = AsyncApiDocument.load();

    @Test
    void documentIsAsyncApi3AndShippedInTheJar() throws IOException {
        assertThat(document.root.path("asyncapi").textValue()).startsWith("3.0.");
        try (InputStream copy = getClass().getClassLoader().getResourceAsStream(AsyncApiDocument.CLASSPATH_COPY)) {
            assertThat(copy).as(AsyncApiDocument.CLASSPATH_COPY + " on the classpath").isNotNull();
            assertThat(copy.readAllBytes()).isEqualTo(Files.readAllBytes(AsyncApiDocument.SOURCE));
        }
    }

    @Test
    void everyTopicHasOneChannelWithThatAddress() {
        assertThat(CONTRACTS.stream().map(Contract::topic)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        for (String topic : Topics.ALL) {
            assertThat(document.channelsWithAddress(topic)).as("channels with address " + topic).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CONTRACTS")
    void eachChannelCarriesItsPayloadTypeSourceAndKey(Contract contract) {
        List<JsonNode> channels = document.channelsWithAddress(contract.topic());
        assertThat(channels).as("channels with address " + contract.topic()).hasSize(1);
        List<JsonNode> messages = document.messagesOf(channels.get(0));
        assertThat(messages).as("messages on " + contract.topic()).hasSize(1);
        JsonNode message = messages.get(0);

        var headers = document.headerProperties(message);
        assertThat(headers.path("ce_type").path("const").textValue()).isEqualTo(contract.type());
        assertThat(headers.path("ce_source").path("const").textValue()).isEqualTo(contract.source());
        assertThat(headers.path("content-type").path("const").textValue()).isEqualTo(EventTypes.DATA_CONTENT_TYPE);
        assertThat(RecordSchemas.names(headers)).containsAll(CLOUD_EVENT_HEADERS);
        assertThat(document.requiredHeaders(message)).containsAll(CLOUD_EVENT_HEADERS);
        assertThat(message.path("bindings").path("kafka").path("key").path("type").textValue()).isEqualTo("string");
        new RecordSchemas(document, Samples.all()).assertDescribes(message.get("payload"), contract.payload());
    }

    @Test
    void everyEventTypeIsTheCeTypeOfAMessage() throws IllegalAccessException {
        Set<String> types = eventTypes();
        Set<String> messageTypes = document.allMessages().stream()
                .map(m -> document.headerProperties(m).path("ce_type").path("const").textValue())
                .filter(type -> type != null).collect(Collectors.toSet());
        JsonNode sharedHeaders = document.root.at("/components/schemas/CloudEventHeaders/properties/ce_type/enum");

        assertThat(messageTypes).isEqualTo(types);
        assertThat(RecordSchemas.texts(sharedHeaders)).isEqualTo(types);
    }

    @Test
    void everySchemaDescribesARecordOrHeaders() {
        var schemas = new RecordSchemas(document, Samples.all());
        for (JsonNode message : document.allMessages()) {
            Class<? extends Record> payload = payloadOf(message);
            if (payload != null) {
                schemas.assertDescribes(message.get("payload"), payload);
            }
        }
        Set<String> expected = new HashSet<>(schemas.checkedSchemas());
        expected.addAll(Set.of("CloudEventHeaders", "DeadLetterHeaders"));

        assertThat(RecordSchemas.names(document.root.at("/components/schemas"))).isEqualTo(expected);
    }

    @Test
    void deadLetterChannelCoversEveryTopic() {
        List<JsonNode> dlq = document.channelsWithAddress(Topics.deadLetter("{topic}"));
        assertThat(dlq).hasSize(1);
        JsonNode topic = document.resolve(dlq.get(0).at("/parameters/topic"));

        assertThat(RecordSchemas.texts(topic.get("enum"))).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(document.requiredHeaders(document.messagesOf(dlq.get(0)).get(0))).contains("dead-letter-reason");
    }

    @Test
    void everyOperationUsesAChannelAndMessagesOfThatChannel() {
        List<String> channelsUsed = new ArrayList<>();
        document.root.get("operations").forEach(operation -> {
            String channel = operation.at("/channel/$ref").textValue();
            document.resolve(operation.get("channel"));
            assertThat(operation.path("action").textValue()).isIn("send", "receive");
            operation.get("messages").forEach(m -> {
                assertThat(m.path("$ref").textValue()).startsWith(channel + "/messages/");
                document.resolve(m);
            });
            channelsUsed.add(channel + ":" + operation.path("action").textValue());
        });
        document.root.get("channels").fieldNames().forEachRemaining(name ->
                assertThat(channelsUsed).as("someone sends on " + name).contains("#/channels/" + name + ":send"));
    }

    @Test
    void examplesAreEventsThatDecodeUnchanged() throws IOException {
        for (JsonNode message : document.allMessages()) {
            Class<? extends Record> payload = payloadOf(message);
            for (JsonNode example : payload == null ? List.<JsonNode>of() : toList(message.get("examples"))) {
                JsonNode json = example.get("payload");
                Record decoded = EventJson.decode(json.toString(), payload);
                assertThat(EventJson.mapper().readTree(EventJson.encode(decoded))).isEqualTo(json);
                JsonNode headers = example.get("headers");
                assertThat(headers.path("ce_type").textValue()).isEqualTo(typeOf(payload));
                String subject = json.has("credentialId") ? json.get("credentialId").textValue()
                        : json.has("breachId") ? json.get("breachId").textValue() : json.get("ownerId").textValue();
                assertThat(headers.path("ce_subject").textValue()).isEqualTo(subject);
                assertThat(RecordSchemas.names(headers)).containsAll(CLOUD_EVENT_HEADERS);
                assertThat(RecordSchemas.names(document.headerProperties(message)))
                        .containsAll(RecordSchemas.names(headers));
            }
        }
    }

    private Class<? extends Record> payloadOf(JsonNode message) {
        String type = document.headerProperties(message).path("ce_type").path("const").textValue();
        return CONTRACTS.stream().filter(c -> c.type().equals(type)).map(Contract::payload).findFirst().orElse(null);
    }

    private static String typeOf(Class<? extends Record> payload) {
        return CONTRACTS.stream().filter(c -> c.payload() == payload).map(Contract::type).findFirst().orElseThrow();
    }

    /** The CloudEvents types among the constants of {@link EventTypes}, found by reflection so new ones count. */
    private static Set<String> eventTypes() throws IllegalAccessException {
        Set<String> types = new HashSet<>();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof String value
                    && value.startsWith("dev.rekey.")) {
                types.add(value);
            }
        }
        assertThat(types).isNotEmpty();
        return types;
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        if (array != null) {
            array.forEach(nodes::add);
        }
        assertThat(nodes).as("at least one example").isNotEmpty();
        return nodes;
    }
}
