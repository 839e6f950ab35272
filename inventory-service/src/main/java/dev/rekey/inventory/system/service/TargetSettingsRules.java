package dev.rekey.inventory.system.service;

import dev.rekey.events.TargetSettings;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.PlainText;
import dev.rekey.inventory.api.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings each target type takes, and what their values may hold. Templates may name placeholders only, so
 * that no secret value can be written into a system (and from there into an event).
 */
final class TargetSettingsRules {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> PLACEHOLDERS = Set.of("username", "newValue", "oldValue", "admin.username",
            "admin.password");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Pattern TEXT = Pattern.compile(PlainText.PATTERN);
    private static final int MAX_TEMPLATE = 10_000;

    private TargetSettingsRules() {
    }

    /** The settings to store, or a 400 naming every field the type does not take or that is malformed. */
    static TargetSettings check(String type, TargetSettings settings) {
        TargetSettings s = settings == null ? TargetSettings.NONE : settings;
        List<Problem.FieldError> errors = new ArrayList<>();
        boolean rabbit = type.equals("rabbitmq");
        boolean http = type.equals("http");
        if (s.managementPort() != null && (!rabbit || s.managementPort() < 1 || s.managementPort() > 65535)) {
            errors.add(error("managementPort", rabbit ? "must be between 1 and 65535" : "is for rabbitmq systems only"));
        }
        if (s.tls() != null && !rabbit && !http) {
            errors.add(error("tls", "is for rabbitmq and http systems only"));
        }
        call(errors, "set", s.set(), http, true);
        call(errors, "test", s.test(), http, true);
        call(errors, "revoke", s.revoke(), http, false);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return s;
    }

    private static void call(List<Problem.FieldError> errors, String name, TargetSettings.HttpCall call, boolean http,
                             boolean required) {
        if (call == null) {
            if (http && required) {
                errors.add(error(name, "is required for http systems"));
            }
            return;
        }
        if (!http) {
            errors.add(error(name, "is for http systems only"));
            return;
        }
        if (!METHODS.contains(call.method())) {
            errors.add(error(name + ".method", "must be one of GET, POST, PUT, PATCH, DELETE"));
        }
        if (!call.path().startsWith("/") || call.path().length() > 2000 || call.path().chars().anyMatch(c -> c <= ' ')) {
            errors.add(error(name + ".path", "must start with / and hold no spaces or control characters"));
        } else {
            template(errors, name + ".path", call.path());
        }
        if (call.headers().size() > 20) {
            errors.add(error(name + ".headers", "at most 20 headers"));
        }
        for (int i = 0; i < call.headers().size(); i++) {
            TargetSettings.HttpHeader header = call.headers().get(i);
            if (!HEADER_NAME.matcher(header.name()).matches()) {
                errors.add(error(name + ".headers[" + i + "].name", "must be a header name"));
            }
            template(errors, name + ".headers[" + i + "].template", header.template());
        }
        if (call.bodyTemplate() != null) {
            template(errors, name + ".bodyTemplate", call.bodyTemplate());
        }
    }

    private static void template(List<Problem.FieldError> errors, String field, String template) {
        if (template.length() > MAX_TEMPLATE || !TEXT.matcher(template).matches()) {
            errors.add(error(field, "must be at most " + MAX_TEMPLATE + " characters without control characters"));
            return;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                errors.add(error(field, "names an unknown placeholder; known: {{username}}, {{newValue}},"
                        + " {{oldValue}}, {{admin.username}}, {{admin.password}}"));
                return;
            }
        }
    }

    private static Problem.FieldError error(String field, String message) {
        return new Problem.FieldError("settings." + field, message);
    }
}
