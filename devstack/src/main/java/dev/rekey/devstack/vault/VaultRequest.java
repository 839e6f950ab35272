package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.vault.KvV2Routes.Operation;

import java.util.Map;

/**
 * A request as a backend of the dev server sees it, after the token check.
 *
 * @param path  below {@code /v1/}, without the backend's own prefix
 * @param body  the JSON body, an empty object when there was none
 * @param token the caller's token; {@code null} on a login path
 * @param sudo  whether the caller has {@code sudo} on the path (always, for a root token)
 */
record VaultRequest(Operation operation, String path, Map<String, String> query, JsonNode body, Token token,
        boolean sudo) {
}
