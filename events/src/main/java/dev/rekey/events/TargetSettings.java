package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * The settings of a downstream system that only some target types need. Every field is optional; which ones a type
 * takes is checked by the inventory when the system is registered and by the worker's target. A typed record rather
 * than a free-form map, so that nothing can smuggle a secret value into an event: templates name placeholders
 * (<code>{{username}}</code>, <code>{{newValue}}</code>, <code>{{oldValue}}</code>, <code>{{admin.username}}</code>,
 * <code>{{admin.password}}</code>), never values.
 *
 * @param managementPort rabbitmq: the port of the management HTTP API (default 15672)
 * @param tls            rabbitmq, http: connect with https instead of http (default false)
 * @param set            http: the call that installs a new value for the user, made with the admin login
 * @param test           http: the call that succeeds only with a working value; 2xx accepts, 401/403 rejects
 * @param revoke         http: the call that revokes a replaced value, made with the admin login once the new
 *                       value is committed; absent when setting a value already revokes the old one
 */
public record TargetSettings(Integer managementPort, Boolean tls, HttpCall set, HttpCall test, HttpCall revoke) {

    /** No settings. */
    public static final TargetSettings NONE = new TargetSettings(null, null, null, null, null);

    /** True when no field is set. */
    @JsonIgnore
    public boolean isEmpty() {
        return managementPort == null && tls == null && set == null && test == null && revoke == null;
    }

    /** Leaves empty settings out of the JSON, as any other absent optional field ({@code @JsonInclude} filter). */
    public static final class OmitWhenEmpty {

        @Override
        public boolean equals(Object value) {
            return value == null || value instanceof TargetSettings settings && settings.isEmpty();
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /**
     * One HTTP call of an http target.
     *
     * @param method       GET, POST, PUT, PATCH or DELETE
     * @param path         the path and query below the system's base URL; may hold placeholders, URL-encoded
     *                     when substituted
     * @param headers      request headers; their templates may hold placeholders
     * @param bodyTemplate the request body with placeholders, JSON-escaped when substituted; absent for none
     */
    public record HttpCall(String method, String path,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HttpHeader> headers,
                           String bodyTemplate) {

        public HttpCall {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            headers = headers == null ? List.of() : List.copyOf(headers);
        }
    }

    /**
     * A request header of an {@link HttpCall}.
     *
     * @param template the header's content with placeholders, e.g. <code>Bearer {{newValue}}</code>
     */
    public record HttpHeader(String name, String template) {

        public HttpHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(template, "template");
        }
    }
}
