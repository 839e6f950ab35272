package dev.rekey.inventory.api;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Maps authentication and authorization failures, database constraint violations that slipped past the checks
 * (races between two requests), and anything unexpected. An unexpected error is logged under an id that the
 * response names; its message never reaches the client.
 */
public class FailureProblemMappers {

    private static final Logger LOG = Logger.getLogger(FailureProblemMappers.class);

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(ProblemResponses.of(401, "unauthorized", "Unauthorized",
                        "a valid bearer token is required", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.of(403, "forbidden", "Forbidden", "the caller's roles do not allow this", uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        PgException pg = pgCause(e);
        if (pg != null && "23505".equals(pg.getSqlState())) {
            return ProblemResponses.of(409, "conflict", "Conflict", "an object with this identity exists already", uri);
        }
        if (pg != null && "23503".equals(pg.getSqlState())) {
            return ProblemResponses.of(422, "unresolved-reference", "Unresolved reference",
                    "the request refers to objects that do not exist", uri);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, ProblemResponses.instance(uri));
        return ProblemResponses.of(500, "internal", "Internal Server Error",
                "unexpected error; the service log has it under id " + errorId, uri);
    }

    private static PgException pgCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg;
            }
        }
        return null;
    }
}
