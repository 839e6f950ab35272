package dev.rekey.inventory.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Database;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.rekey.inventory.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document (management port): every operation, every request and response, every error has an example. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** docs/api.md points readers at the file the build exports: it must be the document the service serves. */
    @Test
    void theBuildExportsTheDocumentTheServiceServes() throws Exception {
        java.nio.file.Path exported = java.nio.file.Path.of("target/openapi/openapi.json");
        assertThat(exported).as("written by the build (quarkus.smallrye-openapi.store-schema-directory)").exists();
        ObjectMapper json = new ObjectMapper();
        JsonNode served = json.readTree(management().queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString());
        JsonNode stored = json.readTree(exported.toFile());
        assertThat(fieldNames(stored.path("paths"))).isEqualTo(fieldNames(served.path("paths")));
        assertThat(stored.path("paths")).isEqualTo(served.path("paths"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyOperationHasExamplesForItsRequestItsResponsesAndItsErrors() throws Exception {
        JsonNode document = new ObjectMapper().readTree(management().queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString());
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = op.getValue();
                operation.path("requestBody").path("content").fields().forEachRemaining(media -> {
                    if (!hasExample(media.getValue())) {
                        missing.add(name + ": request " + media.getKey());
                    }
                });
                JsonNode responses = operation.path("responses");
                for (String status : List.of("400", "401", "403", "414")) {
                    if (!responses.has(status)) {
                        missing.add(name + ": documents no " + status);
                    }
                }
                if (path.getKey().contains("{") && !responses.has("404")) {
                    missing.add(name + ": documents no 404");
                }
                if (operation.has("requestBody") && !(responses.has("413") && responses.has("415"))) {
                    missing.add(name + ": documents no 413/415");
                }
                responses.fields().forEachRemaining(response -> {
                    if (response.getKey().equals("204")) {
                        return;
                    }
                    JsonNode content = response.getValue().path("content");
                    if (content.isEmpty()) {
                        missing.add(name + ": response " + response.getKey() + " has no content");
                    }
                    content.fields().forEachRemaining(media -> {
                        if (!hasExample(media.getValue())) {
                            missing.add(name + ": response " + response.getKey() + " " + media.getKey());
                        }
                        if (response.getKey().startsWith("4") && !media.getKey().equals("application/problem+json")) {
                            missing.add(name + ": error " + response.getKey() + " is not a problem detail");
                        }
                    });
                });
            }
        }
        assertThat(operations).as("operations in the document").isEqualTo(26);
        assertThat(missing).isEmpty();
        assertThat(document.path("paths").has("/q/health")).isFalse();
    }

    private static boolean hasExample(JsonNode media) {
        return (media.has("example") && !media.path("example").isNull())
                || (media.has("examples") && !media.path("examples").isEmpty());
    }
}
