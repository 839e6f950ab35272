package dev.rekey.inventory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.CharConversionException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps what is wrong with a request (bad JSON, failed Bean Validation, unknown route) and {@link ApiProblem}s to
 * problem details. Jackson's own messages quote the request body, so field errors are written here instead.
 */
public class RequestProblemMappers {

    private static final Map<Integer, String> DETAILS = Map.of(
            404, "no such resource",
            405, "this resource does not take this method",
            406, "this resource answers application/json only",
            415, "this endpoint takes a different Content-Type (see the API documentation)");

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem, UriInfo uri) {
        return ProblemResponses.of(problem.toProblem(ProblemResponses.instance(uri)));
    }

    @ServerExceptionMapper
    public Response violation(ResteasyReactiveViolationException e, UriInfo uri) {
        return violations(e, uri);
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(RequestErrors.field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return ProblemResponses.of(400, "validation", "Invalid request", "the request is invalid", uri, errors);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.of(400, "malformed-body", "Malformed request body", RequestErrors.describe(e), uri,
                RequestErrors.fieldErrors(e, null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        if (e.getCause() instanceof CharConversionException) {
            return ProblemResponses.of(400, "malformed-body", "Malformed request body",
                    "the request body is not valid UTF-8", uri);
        }
        int status = e.getResponse().getStatus();
        String reason = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String slug = reason.toLowerCase(Locale.ROOT).replace(' ', '-');
        return ProblemResponses.of(status, slug, reason, DETAILS.getOrDefault(status, reason), uri);
    }

    @ServerExceptionMapper
    public Response charConversion(CharConversionException e, UriInfo uri) {
        return ProblemResponses.of(400, "malformed-body", "Malformed request body",
                "the request body is not valid UTF-8", uri);
    }
}
