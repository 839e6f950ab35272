package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders the path of edges that put a credential in a dry run's blast radius as one line,
 * {@code okta -> ci-deploy-token -> ci-runners -> pg-ci-migrator}. The path is the entry's {@code path} field (or
 * the first array field whose name holds "path"): an array of steps, each a name or an object whose {@code id} names
 * it ({@code {"via":"system","id":"ci-runners"}}); an array of such arrays gives the first.
 */
final class DryRunPaths {

    private DryRunPaths() {
    }

    /** The line, or null when the entry carries no path. */
    static String render(JsonNode entry) {
        JsonNode path = pathField(entry);
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (path.get(0).isArray()) {
            path = path.get(0);
        }
        List<String> steps = new ArrayList<>();
        for (JsonNode step : path) {
            String name = name(step);
            if (name != null && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(name))) {
                steps.add(name);
            }
        }
        String credential = entry.path("credentialId").asText();
        if (!credential.isEmpty() && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(credential))) {
            steps.add(credential);
        }
        return String.join(" -> ", steps);
    }

    private static JsonNode pathField(JsonNode entry) {
        if (entry.path("path").isArray()) {
            return entry.get("path");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = entry.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().toLowerCase().contains("path") && field.getValue().isArray()) {
                return field.getValue();
            }
        }
        return null;
    }

    private static String name(JsonNode step) {
        if (step.isTextual()) {
            return step.asText();
        }
        if (step.path("id").isTextual()) {
            return step.path("id").asText();
        }
        for (JsonNode value : step) {
            if (value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }
}
