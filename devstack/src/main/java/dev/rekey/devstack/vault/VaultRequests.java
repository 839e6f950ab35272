package dev.rekey.devstack.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.vault.KvV2Routes.Operation;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** How Vault's HTTP layer reads a request: the operation from method and query, the JSON body, the query string. */
final class VaultRequests {

    private VaultRequests() {
    }

    /** GET is a read, or a list with {@code ?list=true}; Vault parses the flag like Go's strconv.ParseBool. */
    static Operation operation(String method, Map<String, String> query) {
        return switch (method) {
            case "GET" -> {
                String list = query.getOrDefault("list", "");
                if (list.matches("1|t|T|TRUE|true|True")) {
                    yield Operation.LIST;
                }
                if (!list.isEmpty() && !list.matches("0|f|F|FALSE|false|False")) {
                    throw new BadRequest("invalid list parameter " + list);
                }
                yield Operation.READ;
            }
            case "LIST" -> Operation.LIST;
            case "POST", "PUT" -> Operation.UPDATE;
            case "DELETE" -> Operation.DELETE;
            case "PATCH" -> Operation.PATCH;
            default -> null;
        };
    }

    /** Vault applies a PATCH only as a JSON merge patch, and answers 415 to any other content type. */
    static boolean isMergePatch(String contentType) {
        return contentType != null
                && contentType.split(";")[0].trim().equalsIgnoreCase("application/merge-patch+json");
    }

    /** An empty body counts as {@code {}}; anything but a JSON object is refused like Vault refuses it. */
    static JsonNode body(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return VaultResponses.object();
        }
        try {
            JsonNode json = VaultResponses.JSON.readTree(body);
            if (!json.isObject()) {
                throw new BadRequest("failed to parse JSON input: the body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new BadRequest("failed to parse JSON input: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded query parameters; for a repeated name the first value counts. */
    static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }
}
