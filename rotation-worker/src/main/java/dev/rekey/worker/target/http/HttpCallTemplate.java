package dev.rekey.worker.target.http;

import dev.rekey.events.TargetSettings.HttpCall;
import dev.rekey.events.TargetSettings.HttpHeader;
import dev.rekey.worker.target.PercentEncoding;
import dev.rekey.worker.target.TargetException;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declared call of an http target, turned into a request: placeholders are substituted URL-encoded in the
 * path, JSON-escaped in the body and as they are in headers (where a control character is refused), so that no
 * user name or value can change the request's shape.
 */
final class HttpCallTemplate {

    static final String USERNAME = "username";
    static final String NEW_VALUE = "newValue";
    static final String OLD_VALUE = "oldValue";
    static final String ADMIN_USERNAME = "admin.username";
    static final String ADMIN_PASSWORD = "admin.password";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    private HttpCallTemplate() {
    }

    /**
     * Refuses a call that cannot work: an unknown method, a path that is not below the base URL, a placeholder this
     * call does not have, or none of {@code required}.
     */
    static void check(String role, HttpCall call, Set<String> allowed, String required) {
        if (!METHODS.contains(call.method())) {
            throw refused(role, "method must be one of GET, POST, PUT, PATCH, DELETE");
        }
        if (!call.path().startsWith("/")) {
            throw refused(role, "path must start with '/'");
        }
        try {
            URI.create("http://host" + substitute(call.path(), name -> "x"));
        } catch (IllegalArgumentException e) {
            throw refused(role, "path is not a valid URL path");
        }
        boolean[] found = {false};
        UnaryOperator<String> names = name -> {
            if (!allowed.contains(name)) {
                throw refused(role, "unknown placeholder {{" + name + "}} (this call takes " + String.join(", ",
                        allowed.stream().sorted().map(n -> "{{" + n + "}}").toList()) + ")");
            }
            found[0] |= name.equals(required);
            return "";
        };
        substitute(call.path(), names);
        if (call.bodyTemplate() != null) {
            substitute(call.bodyTemplate(), names);
        }
        for (HttpHeader header : call.headers()) {
            if (!HEADER_NAME.matcher(header.name()).matches()
                    || RESTRICTED_HEADERS.contains(header.name().toLowerCase(java.util.Locale.ROOT))) {
                throw refused(role, "header name '" + header.name() + "' cannot be set");
            }
            substitute(header.template(), names);
        }
        if (!found[0]) {
            throw refused(role, "must use {{" + required + "}}");
        }
    }

    /** Whether the call uses the admin login. */
    static boolean usesAdmin(HttpCall call) {
        StringBuilder all = new StringBuilder(call.path()).append(call.bodyTemplate() == null ? "" : call.bodyTemplate());
        call.headers().forEach(h -> all.append(h.template()));
        Matcher matcher = PLACEHOLDER.matcher(all);
        while (matcher.find()) {
            if (matcher.group(1).startsWith("admin.")) {
                return true;
            }
        }
        return false;
    }

    /** The request of {@code call} below {@code base} with {@code values} substituted. */
    static HttpRequest request(String base, HttpCall call, Map<String, String> values, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(base + substitute(call.path(), name -> PercentEncoding.segment(values.get(name)))))
                .timeout(timeout);
        boolean contentType = false;
        for (HttpHeader header : call.headers()) {
            request.header(header.name(), substitute(header.template(), name -> headerSafe(values.get(name))));
            contentType |= header.name().equalsIgnoreCase("Content-Type");
        }
        if (call.bodyTemplate() == null) {
            return request.method(call.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        if (!contentType) {
            request.header("Content-Type", "application/json");
        }
        byte[] body = substitute(call.bodyTemplate(), name -> jsonEscaped(values.get(name)))
                .getBytes(StandardCharsets.UTF_8);
        return request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String substitute(String template, UnaryOperator<String> value) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.apply(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String headerSafe(String value) {
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
            throw new TargetException("a value for an HTTP header cannot hold control or non-Latin-1 characters",
                    false);
        }
        return value;
    }

    /** The content of a JSON string: the template holds the quotes. */
    static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static TargetException refused(String role, String why) {
        return new TargetException("the http target's " + role + " call: " + why, false);
    }
}
