package dev.rekey.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document as a JSON tree, with the few navigation steps the contract tests need. */
final class AsyncApiDocument {

    /** Relative to the module directory, where Surefire runs the tests. */
    static final Path SOURCE = Path.of("src", "main", "asyncapi", "rekey.yaml");
    /** Where the build copies it, so that services can serve it from the jar. */
    static final String CLASSPATH_COPY = "META-INF/asyncapi/rekey.yaml";

    final JsonNode root;

    private AsyncApiDocument(JsonNode root) {
        this.root = root;
    }

    static AsyncApiDocument load() {
        try {
            return new AsyncApiDocument(new YAMLMapper().readTree(SOURCE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Follows local {@code $ref}s ({@code #/components/...}) until it reaches a definition. */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").textValue();
            assertThat(ref).as("only local references").startsWith("#/");
            current = root.at(ref.substring(1));
            assertThat(current.isMissingNode()).as("$ref %s resolves", ref).isFalse();
        }
        return current;
    }

    /** The channels whose address is exactly {@code address}. */
    List<JsonNode> channelsWithAddress(String address) {
        List<JsonNode> matching = new ArrayList<>();
        root.get("channels").forEach(channel -> {
            if (address.equals(channel.path("address").textValue())) {
                matching.add(channel);
            }
        });
        return matching;
    }

    /** The channel's messages, resolved. */
    List<JsonNode> messagesOf(JsonNode channel) {
        List<JsonNode> messages = new ArrayList<>();
        channel.get("messages").forEach(message -> messages.add(resolve(message)));
        return messages;
    }

    /** Every message in {@code components.messages}. */
    List<JsonNode> allMessages() {
        List<JsonNode> messages = new ArrayList<>();
        root.get("components").get("messages").forEach(messages::add);
        return messages;
    }

    /**
     * The message's header properties, with {@code allOf} members merged in order (a later member narrows an
     * earlier one, as a per-message {@code const} narrows the shared {@code enum}).
     */
    ObjectNode headerProperties(JsonNode message) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (JsonNode part : headerParts(message)) {
            part.path("properties").fields().forEachRemaining(p -> merged.set(p.getKey(), p.getValue()));
        }
        return merged;
    }

    /** The union of the {@code required} lists of the message's header schema and its {@code allOf} members. */
    Set<String> requiredHeaders(JsonNode message) {
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode part : headerParts(message)) {
            part.path("required").forEach(name -> required.add(name.textValue()));
        }
        return required;
    }

    private List<JsonNode> headerParts(JsonNode message) {
        JsonNode headers = resolve(message.get("headers"));
        List<JsonNode> parts = new ArrayList<>(List.of(headers));
        headers.path("allOf").forEach(part -> parts.add(resolve(part)));
        return parts;
    }
}
