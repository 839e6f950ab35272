package dev.rekey.notifier.channel;

import dev.rekey.notifier.delivery.SendResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POSTs JSON to a Slack or generic webhook without becoming a way into the internal network: the URL must pass
 * {@link DestinationPolicy}; the host is resolved here, every address it resolves to is checked, and the connection
 * goes to the checked address (the {@code Host} header and TLS name stay the URL's host), so a DNS answer that
 * changes between the check and the connect (rebinding) cannot redirect it. Redirects are not followed: a 3xx is a
 * failed attempt.
 */
@ApplicationScoped
public class WebhookCall {

    private final Vertx vertx;
    private final HttpClient client;
    private final DestinationPolicy policy;
    private final WebhookConfig config;

    WebhookCall(Vertx vertx, WebhookConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.policy = new DestinationPolicy(config.allowedHosts().orElse(Set.of()));
        this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setForceSni(true)
                .setMaxRedirects(0).setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true).setMaxPoolSize(20));
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
    }

    /** POSTs {@code body}; never fails the Uni: refusals and errors are a {@link SendResult}. */
    public Uni<SendResult> post(String url, Map<String, String> headers, String body) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(SendResult.permanent("not a valid URL"));
        }
        String refusal = policy.refusalOf(uri);
        if (refusal != null) {
            return Uni.createFrom().item(SendResult.permanent(refusal));
        }
        String host = uri.getHost();
        return resolve(host).chain(addresses -> {
            String refused = policy.refusalOf(host, addresses);
            if (refused != null) {
                return Uni.createFrom().item(SendResult.permanent(refused));
            }
            return call(uri, addresses.get(0), headers, body);
        }).onFailure().recoverWithItem(e -> SendResult.retryable(describe(e)));
    }

    private Uni<List<InetAddress>> resolve(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return List.of(InetAddress.getAllByName(bare));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("cannot resolve " + bare);
            }
        }), false);
    }

    private Uni<SendResult> call(URI uri, InetAddress address, Map<String, String> headers, String body) {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setSsl(https)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(uri.getHost().replaceAll("^\\[|]$", "")).setPort(port).setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.requestTimeout().toMillis());
        io.vertx.core.MultiMap all = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        headers.forEach(all::set);
        all.set("Content-Type", "application/json");
        all.set("User-Agent", "rekey-notifier");
        options.setHeaders(all);
        return client.request(options)
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(this::drain)
                .ifNoItem().after(config.requestTimeout()).fail()
                .map(WebhookCall::result);
    }

    // the answer's body is not needed; read it to the end (without keeping it) so the connection can be reused
    private Uni<Integer> drain(HttpClientResponse response) {
        response.handler(ignored -> { });
        return response.end().replaceWith(response.statusCode());
    }

    private static SendResult result(int status) {
        if (status >= 200 && status < 300) {
            return SendResult.SENT;
        }
        if (status >= 300 && status < 400) {
            return SendResult.retryable("answered " + status + ": redirects are not followed; fix the webhook URL");
        }
        if (status == 410) {
            return SendResult.permanent("answered 410 Gone: the receiver wants no more messages");
        }
        return SendResult.retryable("answered " + status);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
