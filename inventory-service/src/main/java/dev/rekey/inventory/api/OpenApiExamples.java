package dev.rekey.inventory.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gives every operation of the OpenAPI document an example of its request body (per media type), of each success
 * response and of each error it can answer (problem details). The examples live in {@code openapi/examples.json},
 * keyed by operation id; the errors follow the API's rules: every operation can be 400, 401, 403 and 414, one on
 * {@code /{id}} 404, one that takes a body 411, 413 and 415, a write of owners, systems or credentials 409.
 */
public class OpenApiExamples implements OASFilter {

    private static final String CATALOG = "openapi/examples.json";
    private static final String PROBLEM = Problem.MEDIA_TYPE;

    private final JsonNode catalog = load();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents() == null ? Map.of() : openAPI.getComponents().getSchemas();
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            JsonNode entry = catalog.path("operations").path(String.valueOf(operation.getOperationId()));
            if (!entry.isMissingNode()) {
                document(path, method, operation, entry, schemas == null ? Map.of() : schemas);
            }
        }));
    }

    private void document(String path, PathItem.HttpMethod method, Operation operation, JsonNode entry,
                          Map<String, Schema> schemas) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            Content content = operation.getRequestBody().getContent();
            entry.path("request").fields().forEachRemaining(example -> {
                MediaType media = content.getMediaType(example.getKey());
                if (media == null) {
                    media = OASFactory.createMediaType();
                    content.addMediaType(example.getKey(), media);
                }
                media.setExample(value(example.getValue()));
            });
        }
        APIResponses responses = OASFactory.createAPIResponses();
        APIResponse generated = operation.getResponses() == null ? null : operation.getResponses().getAPIResponse("200");
        entry.path("responses").fields().forEachRemaining(success -> responses.addAPIResponse(success.getKey(),
                success(success.getKey(), success.getValue(), generated, schemas)));
        for (String status : errors(path, method, operation, entry)) {
            JsonNode example = entry.path("errorExamples").has(status) ? entry.path("errorExamples").path(status)
                    : catalog.path("problems").path(status);
            responses.addAPIResponse(status, OASFactory.createAPIResponse()
                    .description(example.path("title").asText("Error"))
                    .content(OASFactory.createContent().addMediaType(PROBLEM,
                            OASFactory.createMediaType().example(value(example)))));
        }
        operation.setResponses(responses);
    }

    private APIResponse success(String status, JsonNode spec, APIResponse generated, Map<String, Schema> schemas) {
        APIResponse response = OASFactory.createAPIResponse().description(description(status));
        if (status.equals("204")) {
            return response;
        }
        MediaType media = OASFactory.createMediaType().example(value(spec.path("example")));
        String schema = spec.path("schema").asText(null);
        if (schema != null && schemas.containsKey(schema)) {
            media.setSchema(OASFactory.createSchema().ref("#/components/schemas/" + schema));
        } else if (generated != null && generated.getContent() != null
                && generated.getContent().getMediaType("application/json") != null) {
            media.setSchema(generated.getContent().getMediaType("application/json").getSchema());
        }
        Content content = OASFactory.createContent().addMediaType("application/json", media);
        // other representations of the same response (e.g. a report as text/csv)
        spec.path("media").fields().forEachRemaining(other -> content.addMediaType(other.getKey(),
                OASFactory.createMediaType().example(value(other.getValue()))
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))));
        return response.content(content);
    }

    /** The error statuses an operation can answer. */
    static TreeSet<String> errors(String path, PathItem.HttpMethod method, Operation operation, JsonNode entry) {
        TreeSet<String> errors = new TreeSet<>(java.util.List.of("400", "401", "403", "414"));
        if (path.contains("{")) {
            errors.add("404");
        }
        if (operation.getRequestBody() != null) {
            errors.addAll(java.util.List.of("411", "413", "415"));
        }
        String id = String.valueOf(operation.getOperationId());
        if (method != PathItem.HttpMethod.GET && (id.startsWith("OwnerResource") || id.startsWith("SystemResource")
                || id.startsWith("CredentialResource"))) {
            errors.add("409");
        }
        entry.path("errors").forEach(status -> errors.add(status.asText()));
        return errors;
    }

    private static String description(String status) {
        return switch (status) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted: the campaign runs";
            case "204" -> "No Content";
            default -> status;
        };
    }

    /** The example as plain maps and lists, {@code "#name"} replaced by the catalog's shared object of that name. */
    private Object value(JsonNode node) {
        JsonNode resolved = resolve(node);
        return new ObjectMapper().convertValue(resolved, Object.class);
    }

    private JsonNode resolve(JsonNode node) {
        if (node.isTextual() && node.asText().startsWith("#") && catalog.has(node.asText().substring(1))) {
            return catalog.get(node.asText().substring(1));
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(element -> copy.add(resolve(element)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), resolve(field.getValue()));
            }
            return copy;
        }
        return node;
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiExamples.class.getClassLoader().getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CATALOG);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
