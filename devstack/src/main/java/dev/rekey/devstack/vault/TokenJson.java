package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.rekey.devstack.vault.VaultResponses.object;

/**
 * The JSON Vault answers about tokens: the {@code auth} block of logins, token creation and renewal (Vault's
 * {@code logical.HTTPAuth}, fields in its struct order), and the {@code data} of a token lookup (a Go map, so its keys
 * sorted). Service tokens only; no identity entities, so {@code entity_id} is empty.
 */
final class TokenJson {

    private TokenJson() {
    }

    /** The {@code auth} block; {@code leaseDuration} is the TTL just granted. */
    static ObjectNode auth(Token token, Duration leaseDuration) {
        ObjectNode auth = object();
        auth.put("client_token", token.id());
        auth.put("accessor", token.accessor());
        strings(auth.putArray("policies"), token.policies());
        strings(auth.putArray("token_policies"), token.policies());
        if (token.meta() == null) {
            auth.putNull("metadata");
        } else {
            ObjectNode metadata = auth.putObject("metadata");
            new TreeMap<>(token.meta()).forEach(metadata::put);
        }
        auth.put("lease_duration", leaseDuration.toSeconds());
        auth.put("renewable", token.renewable());
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", token.orphan());
        auth.putNull("mfa_requirement");
        auth.put("num_uses", 0);
        return auth;
    }

    /** The {@code data} of {@code lookup-self}, as Vault's token store builds it. */
    static ObjectNode lookup(Token token, Instant now) {
        ObjectNode data = object();
        data.put("accessor", token.accessor());
        data.put("creation_time", token.creationTime().getEpochSecond());
        data.put("creation_ttl", token.creationTtl().toSeconds());
        data.put("display_name", token.displayName());
        data.put("entity_id", "");
        if (token.expireTime() == null) {
            data.putNull("expire_time");
        } else {
            data.put("expire_time", GoFormats.time(token.expireTime()));
        }
        data.put("explicit_max_ttl", token.explicitMaxTtl().toSeconds());
        data.put("id", token.id());
        if (token.expireTime() != null) {
            data.put("issue_time", GoFormats.time(token.creationTime()));
        }
        if (token.lastRenewalTime() != null) {
            data.put("last_renewal", GoFormats.time(token.lastRenewalTime()));
            data.put("last_renewal_time", token.lastRenewalTime().getEpochSecond());
        }
        if (token.meta() == null) {
            data.putNull("meta");
        } else {
            ObjectNode meta = data.putObject("meta");
            new TreeMap<>(token.meta()).forEach(meta::put);
        }
        data.put("num_uses", 0);
        data.put("orphan", token.orphan());
        data.put("path", token.path());
        strings(data.putArray("policies"), token.policies());
        if (token.expireTime() != null) {
            data.put("renewable", token.renewable());
        }
        data.put("ttl", remainingSeconds(token, now));
        data.put("type", "service");
        return data;
    }

    /** Vault rounds the time left to whole seconds. */
    private static long remainingSeconds(Token token, Instant now) {
        if (token.expireTime() == null) {
            return 0;
        }
        long millis = Duration.between(now, token.expireTime()).toMillis();
        return Math.max(0, Math.round(millis / 1000.0));
    }

    static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    static Map<String, String> roleMetadata(String roleName) {
        return Map.of("role_name", roleName);
    }
}
