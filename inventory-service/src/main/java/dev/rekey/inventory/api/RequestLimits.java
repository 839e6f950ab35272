package dev.rekey.inventory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * What a request must be before its body is read, answered as problem details: URLs longer than
 * {@code rekey.http.max-url-length} are 414, bodies larger than the limit of their endpoint 413 (a bulk import may be
 * far larger than any other request), a body without a Content-Type 415 (Quarkus REST would guess JSON), a body
 * without a Content-Length 411 (except for a bulk import, which streams, and counts its bytes as it reads them).
 * Vert.x's own limits ({@code quarkus.http.limits.*}) sit far above these: a body never reaches them (a declared length
 * over the limit is refused here, a streamed bulk import is counted as it is read), a URL only past 64 KiB, where
 * Vert.x's codec answers a bare 414 before any handler runs (Quarkus has no hook for it, quarkusio/quarkus#55082).
 */
@ApplicationScoped
public class RequestLimits {

    private final Config config;
    private final ObjectMapper json;

    RequestLimits(Config config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        if (context.request().uri().length() > config.maxUrlLength()) {
            reject(context, 414, "uri-too-long", "URI Too Long",
                    "the URL is longer than " + config.maxUrlLength() + " characters");
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (takesBody(context) && context.request().getHeader(HttpHeaders.CONTENT_TYPE) == null) {
            reject(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "the request has no Content-Type; this endpoint takes application/json");
            return;
        }
        boolean bulk = config.bulkPaths().contains(context.normalizedPath());
        if (takesBody(context) && length == null && !bulk) {
            // a chunked body could only be refused once read past the limit, with Quarkus's bare 413
            reject(context, 411, "length-required", "Length Required",
                    "the request body needs a Content-Length (at most " + config.maxBodySize().asLongValue()
                            + " bytes)");
            return;
        }
        long limit = bulk ? config.maxBulkBodySize().asLongValue() : config.maxBodySize().asLongValue();
        if (length != null && exceeds(length, limit)) {
            reject(context, 413, "content-too-large", "Content Too Large",
                    "the request body is larger than " + limit + " bytes, the limit of this endpoint");
            return;
        }
        context.next();
    }

    private static boolean takesBody(RoutingContext context) {
        HttpMethod method = context.request().method();
        return (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)
                && context.normalizedPath().startsWith("/api/");
    }

    private static boolean exceeds(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            // Vert.x refuses a malformed Content-Length before this point; a number too large to read is too large
            return true;
        }
    }

    private void reject(RoutingContext context, int status, String slug, String title, String detail) {
        Problem problem = new Problem(Problem.TYPE_PREFIX + slug, title, status, detail,
                status == 414 ? null : context.normalizedPath(), List.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the rest of the body is not read: the connection closes after this answer
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }

    /** The API's request limits. */
    @ConfigMapping(prefix = "rekey.http")
    public interface Config {

        /** Longest request URI (path and query) in characters; longer is 414. */
        @WithDefault("4096")
        int maxUrlLength();

        /** Largest request body of every endpoint but the bulk import; larger is 413. */
        @WithDefault("1M")
        MemorySize maxBodySize();

        /**
         * Largest body of a bulk import (50,000 rows of CSV or JSON fit well below it); larger is 413, also when it
         * streams in without a Content-Length. Must stay below {@code quarkus.http.limits.max-body-size}.
         */
        @WithDefault("64M")
        MemorySize maxBulkBodySize();

        /** Paths that take bulk bodies. */
        @WithDefault("/api/v1/credentials/bulk")
        List<String> bulkPaths();
    }
}
