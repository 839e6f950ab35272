package dev.rekey.devstack.vault;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;

/**
 * The JSON shapes of Vault's HTTP API that the dev server answers with: the response envelope, the {@code errors}
 * body, and how a reply goes on the wire. The shapes follow Vault's {@code logical.HTTPResponse} and
 * {@code logical.RespondError}.
 */
final class VaultResponses {

    /** Source excerpts off: a parse error must not echo a request body (it may hold a secret) into a message. */
    static final JsonMapper JSON = JsonMapper.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What to send: a status and a JSON body, or no body at all ({@code body == null}, used for 204). */
    record Reply(int status, JsonNode body) {

        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }

        /** Vault's plain "nothing here": 404 with an empty {@code errors} array. */
        static Reply notFound() {
            return error(404);
        }

        static Reply error(int status, String... messages) {
            return new Reply(status, errors(messages));
        }
    }

    /** A request Vault would refuse with 400 and this message: thrown while parsing, answered by the server. */
    static final class BadRequest extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private VaultResponses() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** {@code {"errors":[...]}}, Vault's body for every error status. */
    static ObjectNode errors(String... messages) {
        ObjectNode body = object();
        ArrayNode list = body.putArray("errors");
        for (String message : messages) {
            list.add(message);
        }
        return body;
    }

    /**
     * Vault wraps errors from its router and backends with go-multierror, so "unsupported operation" reaches the client
     * as {@code "1 error occurred:\n\t* unsupported operation\n\n"}.
     */
    static String multiError(List<String> messages) {
        StringBuilder text = new StringBuilder();
        text.append(messages.size()).append(messages.size() == 1 ? " error occurred:\n" : " errors occurred:\n");
        for (String message : messages) {
            text.append("\t* ").append(message).append('\n');
        }
        return text.append('\n').toString();
    }

    /**
     * The full envelope of a logical response: Vault always sends every field, {@code null} where unused. Secrets
     * engines' KV reads carry no lease, so {@code lease_id} is empty and {@code lease_duration} 0.
     */
    static ObjectNode envelope(JsonNode data, String mountType) {
        return envelope(data, null, List.of(), mountType);
    }

    /**
     * The envelope of a response that may carry an {@code auth} block (logins, token creation and renewal) and
     * warnings ({@code null} when there are none, as Go marshals an empty slice that was never set).
     */
    static ObjectNode envelope(JsonNode data, JsonNode auth, List<String> warnings, String mountType) {
        ObjectNode body = object();
        body.put("request_id", UUID.randomUUID().toString());
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", 0);
        body.set("data", data == null ? NullNode.instance : data);
        body.putNull("wrap_info");
        if (warnings.isEmpty()) {
            body.putNull("warnings");
        } else {
            ArrayNode list = body.putArray("warnings");
            warnings.forEach(list::add);
        }
        body.set("auth", auth == null ? NullNode.instance : auth);
        body.put("mount_type", mountType);
        return body;
    }

    /**
     * A response of the system backend: Vault's {@code HTTPSysInjector} repeats every {@code data} key at the top
     * level, before the envelope, for clients of its pre-0.6 API.
     */
    static ObjectNode sysEnvelope(ObjectNode data) {
        ObjectNode body = object();
        data.properties().forEach(entry -> body.set(entry.getKey(), entry.getValue()));
        body.setAll(envelope(data, "system"));
        return body;
    }

    /** Writes the reply and ends the exchange's response; a HEAD request gets the status and headers only. */
    static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        if (reply.body() == null || head) {
            if (reply.body() != null) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        // Exactly "application/json": the Vault Java Driver compares the MIME type verbatim for sys/health.
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
