package dev.rekey.inventory.api;

import java.util.List;

/**
 * An error that the API reports as a problem detail with this status. Its detail is written for the client, so it
 * must not quote secret values.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ApiProblem(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 404: {@code what} with this id does not exist, or the caller may not know that it does. */
    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(404, "not-found", "Not Found", "no " + what + " with id '" + id + "'", List.of());
    }

    /** 409: the request collides with the state of the inventory. */
    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "conflict", "Conflict", detail, List.of());
    }

    /** 409 naming the fields whose values are taken. */
    public static ApiProblem conflict(String detail, List<Problem.FieldError> errors) {
        return new ApiProblem(409, "conflict", "Conflict", detail, errors);
    }

    /** 409 of the given type (e.g. {@code rotation-running}): the request collides with what is going on. */
    public static ApiProblem conflict(String slug, String title, String detail) {
        return new ApiProblem(409, slug, title, detail, List.of());
    }

    /** 400: the request is well-formed but a field is invalid. */
    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 400 with several field errors. */
    public static ApiProblem invalid(List<Problem.FieldError> errors) {
        return new ApiProblem(400, "validation", "Invalid request", "the request is invalid", errors);
    }

    /** 422: the request refers to objects that do not exist. */
    public static ApiProblem unresolvable(List<Problem.FieldError> errors) {
        return new ApiProblem(422, "unresolved-reference", "Unresolved reference",
                "the request refers to objects that do not exist", errors);
    }

    /** 403: the caller may not do this to this object. */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail, List.of());
    }

    /** 503: a service this request needs is not configured or not reachable. */
    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "unavailable", "Service Unavailable", detail, List.of());
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_PREFIX + slug, title, status, getMessage(), instance, errors);
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
