package dev.rekey.inventory.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a sensible token, else a new UUID. The id
 * is echoed in the response (errors included) and recorded in the audit log, so that a client, the logs and the
 * audit trail can be matched.
 */
@ApplicationScoped
public class RequestIds {

    /** The header that carries the id both ways. */
    public static final String HEADER = "X-Request-Id";

    private static final String KEY = "rekey.request-id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        // before everything else, so that the limits' and the authentication's answers carry the id too
        router.route().order(Integer.MIN_VALUE).handler(RequestIds::assign);
    }

    private static void assign(RoutingContext context) {
        String offered = context.request().getHeader(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        context.put(KEY, id);
        context.response().putHeader(HEADER, id);
        context.next();
    }

    /** The id of this request. */
    public static String of(RoutingContext context) {
        String id = context == null ? null : context.get(KEY);
        return id != null ? id : UUID.randomUUID().toString();
    }
}
