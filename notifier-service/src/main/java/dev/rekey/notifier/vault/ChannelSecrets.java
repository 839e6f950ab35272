package dev.rekey.notifier.vault;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a channel secret (a Slack webhook URL, a webhook signing key) from Vault KV v2 at send time, at the path the
 * owner record names ({@code mount/path}). Values live in memory for {@code vault.cache-ttl} at most, never in the
 * database, never in a log line or an error message.
 */
@ApplicationScoped
public class ChannelSecrets {

    private final VaultConfig config;
    private final VaultToken token;
    private final HttpClient client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ChannelSecrets(VaultConfig config, VaultToken token, Vertx vertx) {
        this.config = config;
        this.token = token;
        this.client = vertx.createHttpClient();
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
    }

    /** The field {@code field} of the secret at {@code mountAndPath}; fails with a message naming only the path. */
    public Uni<String> read(String mountAndPath, String field) {
        String key = mountAndPath + "#" + field;
        Cached cached = cache.get(key);
        if (cached != null && cached.expiresAt > System.nanoTime()) {
            return Uni.createFrom().item(cached.value);
        }
        int slash = mountAndPath.indexOf('/');
        if (slash <= 0 || slash == mountAndPath.length() - 1) {
            return Uni.createFrom().failure(new IllegalArgumentException("Vault path " + mountAndPath
                    + " is not mount/path"));
        }
        URI base = URI.create(config.addr());
        String uri = base.getRawPath().replaceAll("/+$", "") + "/v1/" + mountAndPath.substring(0, slash) + "/data/"
                + mountAndPath.substring(slash + 1);
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(port)
                .setSsl(https).setURI(uri).setTimeout(config.timeout().toMillis());
        // a 403 may mean the token is gone (revoked, expired): once with a renewed or new one
        return token.current().chain(t -> get(options, t))
                .chain(answer -> answer.status() == 403 ? token.refreshed().chain(t -> get(options, t))
                        : Uni.createFrom().item(answer))
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("Vault answered " + answer.status() + " for " + mountAndPath);
                    }
                    JsonObject data = new JsonObject(answer.body()).getJsonObject("data", new JsonObject())
                            .getJsonObject("data", new JsonObject());
                    String value = data.getString(field);
                    if (value == null || value.isBlank()) {
                        throw new IllegalStateException("the secret at " + mountAndPath + " has no field " + field);
                    }
                    return value;
                })
                .invoke(value -> {
                    if (!config.cacheTtl().isZero()) {
                        cache.put(key, new Cached(value, System.nanoTime() + config.cacheTtl().toNanos()));
                    }
                });
    }

    private Uni<Answer> get(RequestOptions options, String vaultToken) {
        return client.request(new RequestOptions(options).putHeader("X-Vault-Token", vaultToken))
                .chain(request -> request.send())
                .chain(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())));
    }

    private record Answer(int status, String body) {
    }

    private record Cached(String value, long expiresAt) {
    }
}
