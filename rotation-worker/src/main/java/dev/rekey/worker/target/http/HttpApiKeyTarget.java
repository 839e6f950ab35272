package dev.rekey.worker.target.http;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.events.TargetSettings.HttpCall;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.AdminLogin;
import dev.rekey.worker.target.AdminLogins;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.TargetChecks;
import dev.rekey.worker.target.TargetException;
import dev.rekey.worker.target.TargetsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static dev.rekey.worker.target.http.HttpCallTemplate.ADMIN_PASSWORD;
import static dev.rekey.worker.target.http.HttpCallTemplate.ADMIN_USERNAME;
import static dev.rekey.worker.target.http.HttpCallTemplate.NEW_VALUE;
import static dev.rekey.worker.target.http.HttpCallTemplate.OLD_VALUE;
import static dev.rekey.worker.target.http.HttpCallTemplate.USERNAME;

/**
 * A generic HTTP API that issues keys (SaaS API keys): the calls {@code settings.set}, {@code test} and, where a
 * new key does not revoke the old one, {@code revoke}, below {@code http[s]://host:port} ({@code settings.tls}).
 * Placeholders: {@code {{username}}} everywhere; {@code {{newValue}}} in {@code set} (the new value) and
 * {@code test} (the value being checked); {@code {{oldValue}}} in {@code revoke} (the replaced value);
 * {@code {{admin.username}}} and {@code {{admin.password}}} (the admin secret's fields, e.g. an admin API token as
 * {@code password}) in any call. {@code test} answers 2xx for a working value and 401/403 for a refused one.
 * Redirects are never followed, and answers' bodies never reach a message. No sessions.
 */
@ApplicationScoped
public class HttpApiKeyTarget implements RotationTarget {

    static final String TYPE = "http";
    private static final Set<String> SET_PLACEHOLDERS = Set.of(USERNAME, NEW_VALUE, ADMIN_USERNAME, ADMIN_PASSWORD);
    private static final Set<String> REVOKE_PLACEHOLDERS = Set.of(USERNAME, OLD_VALUE, ADMIN_USERNAME, ADMIN_PASSWORD);

    private final AdminLogins adminLogins;
    private final TargetsConfig config;
    private final HttpClient http;

    public HttpApiKeyTarget(AdminLogins adminLogins, TargetsConfig config) {
        this.adminLogins = adminLogins;
        this.config = config;
        // HTTP/1.1: the JDK's h2c upgrade on plain http breaks some servers (RabbitMQ's cowboy closes on it)
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(RotationDue due) {
        TargetChecks.allowOnly(due, TYPE, Set.of("tls", "set", "test", "revoke"));
        TargetChecks.requirePrintableUsernames(due, TYPE);
        TargetSettings settings = due.target().settings();
        if (settings.set() == null || settings.test() == null) {
            throw new TargetException("an http target needs the settings set and test", false);
        }
        HttpCallTemplate.check("set", settings.set(), SET_PLACEHOLDERS, NEW_VALUE);
        HttpCallTemplate.check("test", settings.test(), SET_PLACEHOLDERS, NEW_VALUE);
        if (settings.revoke() != null) {
            HttpCallTemplate.check("revoke", settings.revoke(), REVOKE_PLACEHOLDERS, OLD_VALUE);
        }
    }

    @Override
    public void apply(RotationDue due, String username, SecretValue value) {
        check(due);
        HttpCall set = due.target().settings().set();
        HttpResponse<Void> response = send(due, set, values(due, set, username, NEW_VALUE, value), "set");
        requireSuccess(due, response, "set", false);
    }

    @Override
    public boolean logsIn(RotationDue due, String username, SecretValue value) {
        check(due);
        HttpCall test = due.target().settings().test();
        HttpResponse<Void> response = send(due, test, values(due, test, username, NEW_VALUE, value), "test");
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return false;
        }
        requireSuccess(due, response, "test", false);
        return true;
    }

    @Override
    public int endSessions(RotationDue due, String username) {
        return 0;
    }

    /** May keep: whether it does depends on the system's settings, see {@link #keepsReplacedValues(RotationDue)}. */
    @Override
    public boolean keepsReplacedValues() {
        return true;
    }

    @Override
    public boolean keepsReplacedValues(RotationDue due) {
        return due.target().settings().revoke() != null;
    }

    @Override
    public void retire(RotationDue due, String username, SecretValue replaced) {
        HttpCall revoke = due.target().settings().revoke();
        if (revoke == null) {
            return; // setting the new value revoked the old one
        }
        check(due);
        HttpResponse<Void> response = send(due, revoke, values(due, revoke, username, OLD_VALUE, replaced), "revoke");
        requireSuccess(due, response, "revoke", true);
    }

    private Map<String, String> values(RotationDue due, HttpCall call, String username, String valueName,
                                       SecretValue value) {
        Map<String, String> values = new HashMap<>();
        values.put(USERNAME, username);
        values.put(valueName, value.reveal());
        if (HttpCallTemplate.usesAdmin(call)) {
            AdminLogin admin = adminLogins.read(due, describe(due));
            values.put(ADMIN_USERNAME, admin.username());
            values.put(ADMIN_PASSWORD, admin.password());
        }
        return values;
    }

    private HttpResponse<Void> send(RotationDue due, HttpCall call, Map<String, String> values, String role) {
        HttpRequest request = HttpCallTemplate.request(base(due), call, values, config.requestTimeout());
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new TargetException("unreachable or not answering during the " + role + " call on "
                    + describe(due), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted during the " + role + " call on " + describe(due), true);
        }
    }

    /** @param goneIsDone a 404 or 410 means the work is already done (a revoke repeated) */
    private static void requireSuccess(RotationDue due, HttpResponse<Void> response, String role, boolean goneIsDone) {
        int status = response.statusCode();
        if (status >= 200 && status < 300 || goneIsDone && (status == 404 || status == 410)) {
            return;
        }
        String where = " (the " + role + " call on " + describe(due) + " answered HTTP " + status + ")";
        if (status == 408 || status == 429 || status >= 500) {
            throw new TargetException("not available" + where, true);
        }
        throw new TargetException(switch (status) {
            case 401 -> "admin login rejected";
            case 403 -> "insufficient privilege";
            case 404 -> "user or key does not exist";
            default -> status >= 300 && status < 400 ? "redirected (redirects are not followed)" : "refused";
        } + where, false);
    }

    private static String base(RotationDue due) {
        boolean tls = Boolean.TRUE.equals(due.target().settings().tls());
        return (tls ? "https://" : "http://") + due.target().host() + ":" + TargetChecks.portOr(due, tls ? 443 : 80);
    }

    private static String describe(RotationDue due) {
        return "HTTP system " + due.credential().systemId() + " at " + due.target().host() + ":"
                + TargetChecks.portOr(due, Boolean.TRUE.equals(due.target().settings().tls()) ? 443 : 80);
    }
}
