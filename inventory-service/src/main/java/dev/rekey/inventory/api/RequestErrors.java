package dev.rekey.inventory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Describes what is wrong with a request in the API's words. Jackson's and the validator's own messages may quote
 * the request, so they are never passed on.
 */
public final class RequestErrors {

    /** Fields of responses that clients may not set; naming them says more than "unknown field". */
    static final Set<String> READ_ONLY = Set.of("status", "lastRotatedAt", "version", "createdAt");

    private RequestErrors() {
    }

    /** The request field a violation is about, like {@code tags[0]} or {@code rotationPolicy.generator}. */
    public static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null || node.getKey() != null) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return field.isEmpty() && parameter != null ? parameter : field.toString();
    }

    /** What is wrong with a body Jackson could not read, in words that never quote the body. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown && READ_ONLY.contains(unknown.getPropertyName())) {
            return "the request body sets a field that only rekey sets";
        }
        if (e instanceof UnrecognizedPropertyException) {
            return "the request body has a field that this endpoint does not accept";
        }
        if (e.getMessage() != null && e.getMessage().contains("Invalid UTF-8")) {
            return "the request body is not valid UTF-8";
        }
        if (e instanceof InputCoercionException) {
            return "a number in the request body is out of range";
        }
        if (e instanceof ValueInstantiationException) {
            return "a field of the request body is missing or invalid";
        }
        if (e instanceof MismatchedInputException) {
            return "a field of the request body has a wrong type or format";
        }
        return "the request body is not well-formed JSON"
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")");
    }

    /** The field a Jackson failure is about, if it names one ({@code row} for a bulk import, else null). */
    public static List<Problem.FieldError> fieldErrors(JsonProcessingException e, Integer row) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return List.of();
        }
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String message = e instanceof UnrecognizedPropertyException unknown
                ? (READ_ONLY.contains(unknown.getPropertyName()) ? "is read-only: rekey sets it" : "unknown field")
                : e instanceof InvalidFormatException ? "has a wrong format"
                : e instanceof ValueInstantiationException ? "is missing a required field" : "has a wrong type";
        return List.of(new Problem.FieldError(row, path, message));
    }
}
