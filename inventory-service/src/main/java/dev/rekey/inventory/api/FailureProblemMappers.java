package dev.rekey.inventory.api;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.util.UUID;

/**
 * Maps authentication and authorization failures, database constraints that refused a write (races between two
 * requests), and anything unexpected. An unexpected error is logged under an id that the response names; its
 * message never reaches the client.
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
        ApiProblem stored = StoreConstraints.problemFor(e);
        if (stored != null) {
            return ProblemResponses.of(stored.toProblem(ProblemResponses.instance(uri)));
        }
        if (isBodyOverLimit(e)) {
            return ProblemResponses.of(413, "content-too-large", "Content Too Large",
                    "the request body is larger than the limit of this endpoint", uri);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, ProblemResponses.instance(uri));
        return ProblemResponses.of(500, "internal", "Internal Server Error",
                "unexpected error; the service log has it under id " + errorId, uri);
    }

    /** Quarkus REST's stream over a chunked body fails this way once the body passes the request's limit. */
    private static boolean isBodyOverLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && "Request too large".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
