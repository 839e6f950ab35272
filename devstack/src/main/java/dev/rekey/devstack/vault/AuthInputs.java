package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Reads the fields of auth and token requests with Vault's weak decoding: a duration is seconds or a Go duration
 * ({@code 900}, {@code "900"}, {@code "15m"}), a list is a JSON array or a comma-separated string, and policy lists
 * are sanitised like Vault's {@code policyutil.SanitizePolicies}.
 */
final class AuthInputs {

    private AuthInputs() {
    }

    static Duration duration(JsonNode node, String field) {
        long seconds = node.isIntegralNumber() ? node.asLong() : GoFormats.durationSeconds(node.asText(), field);
        if (seconds < 0) {
            throw new BadRequest(field + " cannot be negative");
        }
        return Duration.ofSeconds(seconds);
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isContainerNode()) {
                    throw new BadRequest(VaultResponses.multiError(List.of(
                            "error converting input " + element + " for field \"" + field + "\"")));
                }
                values.add(element.asText());
            }
        } else if (!node.isNull()) {
            for (String part : node.asText().split(",")) {
                values.add(part);
            }
        }
        return values;
    }

    /** Lower case, trimmed, deduplicated, sorted; {@code default} added when asked; {@code root} alone stays alone. */
    static List<String> sanitisePolicies(List<String> policies, boolean addDefault) {
        TreeSet<String> names = new TreeSet<>();
        for (String policy : policies) {
            String name = policy.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.contains(PolicyStore.ROOT)) {
            return List.of(PolicyStore.ROOT);
        }
        if (addDefault) {
            names.add(PolicyStore.DEFAULT);
        }
        return List.copyOf(names);
    }
}
