package dev.rekey.notifier.notice;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message advertises an endpoint that does not exist: every {@code GET|POST|PUT|DELETE /api/v1/…} that a
 * template names must be a method of the inventory's JAX-RS resources (read from its sources in this reactor), and
 * no template names a {@code ./rekey} command.
 */
class AdvertisedEndpointsTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Path INVENTORY = Path.of("../inventory-service/src/main/java");
    private static final Pattern ADVERTISED = Pattern.compile(
            "\\b(GET|POST|PUT|DELETE) \\{links\\.api\\('(/api/v1/[a-z/]*)'\\)}([^\\s`<&?]*)");

    @Test
    void everyEndpointATemplateNamesIsOneTheInventoryServes() throws IOException {
        List<String> served = inventoryEndpoints();
        List<String> advertised = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertThat(text).as(file + " names no ./rekey command").doesNotContain("./rekey");
                Matcher matcher = ADVERTISED.matcher(text);
                while (matcher.find()) {
                    // "{notice.breachId}/credentials" after the prefix: every template expression is one path segment
                    String rest = matcher.group(3).replaceAll("\\{[^}]+}", "{id}").replaceAll("<[^>]+>", "{id}");
                    String path = (matcher.group(2) + (matcher.group(2).endsWith("/") && rest.isEmpty() ? "{id}" : rest))
                            .replaceAll("//+", "/");
                    advertised.add(matcher.group(1) + " " + path);
                }
            }
        }
        assertThat(advertised).isNotEmpty();
        assertThat(served).as("the inventory's endpoints").isNotEmpty();
        assertThat(served).containsAll(advertised);
    }

    /** "GET /api/v1/credentials/{id}" for every resource method, path parameters named {id}. */
    private static List<String> inventoryEndpoints() throws IOException {
        List<String> endpoints = new ArrayList<>();
        Pattern classPath = Pattern.compile("@Path\\(\"(/api/v1/[^\"]*)\"\\)\\s*(@[^\\n]*\\n\\s*)*public class");
        // the verb, then the annotations that follow it (@Path among them, or not)
        Pattern method = Pattern.compile("@(GET|POST|PUT|DELETE)\\b((?:\\s*@\\w+(?:\\([^)]*\\))?)*)");
        Pattern methodPath = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
        try (Stream<Path> files = Files.walk(INVENTORY)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Resource.java")).toList()) {
                String source = Files.readString(file);
                Matcher base = classPath.matcher(source);
                if (!base.find()) {
                    continue;
                }
                Matcher m = method.matcher(source);
                while (m.find()) {
                    Matcher sub = methodPath.matcher(m.group(2));
                    String path = base.group(1) + (sub.find() ? sub.group(1) : "");
                    endpoints.add(m.group(1) + " " + path.replaceAll("\\{[^}]+}", "{id}"));
                }
            }
        }
        return endpoints;
    }
}
