package dev.rekey.worker.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.rest.Rest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.http.HttpClient;

/**
 * The one Vault driver instance of the worker and raw requests for what the driver has no API for (custom metadata,
 * health). Both share one {@link HttpClient}, so connections are kept alive instead of one client per request.
 */
@ApplicationScoped
public class VaultClients {

    @Inject
    VaultSettings settings;

    private HttpClient http;
    private Vault vault;

    @PostConstruct
    void start() {
        // With a client passed in, the driver ignores its own open timeout: the connect timeout lives here.
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        try {
            vault = Vault.create(new VaultConfig()
                    .address(settings.addr())
                    .token(settings.token())
                    .engineVersion(2)
                    .readTimeout(requestTimeoutSeconds())
                    .httpClient(http)
                    .build());
        } catch (VaultException e) {
            throw new IllegalStateException("invalid Vault configuration (vault.addr)");
        }
    }

    /** KV v2 operations; every mount is one path segment, the driver's default prefix depth. */
    public Vault vault() {
        return vault;
    }

    /** A raw request to {@code /v1/<apiPath>} with the worker's token. */
    public Rest request(String apiPath) {
        return new Rest(http)
                .url(settings.addr().replaceAll("/+$", "") + "/v1/" + apiPath)
                .header("X-Vault-Token", settings.token())
                .header("X-Vault-Request", "true")
                .readTimeoutSeconds(requestTimeoutSeconds());
    }

    private int requestTimeoutSeconds() {
        return (int) Math.max(1, settings.requestTimeout().toSeconds());
    }
}
