package dev.rekey.inventory.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}). It never carries
 * a stack trace, a SQL message or a value from the request.
 *
 * @param errors one entry per invalid field (of one row, for a bulk import), for validation problems only
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    /** The media type of problem details. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Prefix of the {@code type} URIs; each problem kind appends its slug. */
    public static final String TYPE_PREFIX = "https://rekey.dev/problems/";

    /**
     * What is wrong with one field of the request.
     *
     * @param row the 1-based row of a bulk import the field belongs to; absent elsewhere
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(Integer row, String field, String message) {

        public FieldError(String field, String message) {
            this(null, field, message);
        }
    }
}
