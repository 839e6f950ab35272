package dev.rekey.inventory.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** Builds {@code application/problem+json} responses. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static Response of(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    static Response of(int status, String slug, String title, String detail, UriInfo uri) {
        return of(status, slug, title, detail, uri, List.of());
    }

    static Response of(int status, String slug, String title, String detail, UriInfo uri,
                       List<Problem.FieldError> errors) {
        return of(new Problem(Problem.TYPE_PREFIX + slug, title, status, detail, instance(uri), errors));
    }

    static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
