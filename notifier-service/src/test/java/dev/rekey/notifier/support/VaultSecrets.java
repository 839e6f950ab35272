package dev.rekey.notifier.support;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.EventJson;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Writes secrets into the shared Vault dev server (KV v2 mount {@code secret}), as an operator would. */
public final class VaultSecrets {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private VaultSecrets() {
    }

    /** Writes {@code fields} at {@code secret/<path>}; returns {@code secret/<path>}, the form owner records use. */
    public static String put(String path, Map<String, String> fields) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(SharedStack.vaultAddress() + "/v1/secret/data/" + path))
                    .header("X-Vault-Token", SharedStack.vaultToken())
                    .POST(HttpRequest.BodyPublishers.ofString(EventJson.encode(Map.of("data", fields)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Vault answered " + response.statusCode());
            }
            return "secret/" + path;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write secret/" + path, e);
        }
    }
}
