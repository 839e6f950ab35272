package dev.rekey.worker.target.http;

import dev.rekey.events.RotationDue;
import dev.rekey.events.TargetSettings;
import dev.rekey.events.TargetSettings.HttpCall;
import dev.rekey.events.TargetSettings.HttpHeader;
import dev.rekey.worker.target.TargetFixture;
import dev.rekey.worker.testing.ClosedPort;
import dev.rekey.worker.testing.TestVault;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A {@link KeyEnforcingApi} as an http target: the key goes in a JSON body to set it, in a header to test it, in
 * the path to revoke it. {@code withRevoke}: the API keeps old keys until revoked, and the settings declare the
 * revoke call; else a new key replaces the old ones.
 */
public final class HttpFixture implements TargetFixture {

    static final String ADMIN = "rekey-admin";
    private static final HttpHeader ADMIN_TOKEN = new HttpHeader("Authorization", "Bearer {{admin.password}}");
    static final HttpCall SET = new HttpCall("PUT", "/v1/users/{{username}}/keys", List.of(ADMIN_TOKEN),
            "{\"key\": \"{{newValue}}\"}");
    static final HttpCall TEST = new HttpCall("GET", "/v1/users/{{username}}/whoami",
            List.of(new HttpHeader("X-Api-Key", "{{newValue}}")), null);
    static final HttpCall REVOKE = new HttpCall("DELETE", "/v1/users/{{username}}/keys/{{oldValue}}",
            List.of(ADMIN_TOKEN), null);

    private final KeyEnforcingApi api;
    private final boolean withRevoke;

    public HttpFixture(boolean withRevoke) {
        this.withRevoke = withRevoke;
        try {
            this.api = new KeyEnforcingApi(withRevoke);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the local key API", e);
        }
    }

    public TargetSettings settings() {
        return new TargetSettings(null, null, SET, TEST, withRevoke ? REVOKE : null);
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public RotationDue.Target target(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", api.port(), null, adminSecretPath, 4, settings());
    }

    @Override
    public RotationDue.Target unreachable(String adminSecretPath) {
        return new RotationDue.Target(type(), "127.0.0.1", ClosedPort.find(), null, adminSecretPath, 4, settings());
    }

    @Override
    public void seedAdmin(String path) throws Exception {
        TestVault.write(path, new HashMap<>(Map.of("username", ADMIN, "password", api.adminToken())));
    }

    @Override
    public String adminUsername() {
        return ADMIN;
    }

    @Override
    public String plainName() {
        return "rk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Path syntax, a percent escape and a placeholder: substitution is one pass, and encoded. */
    @Override
    public String oddName() {
        return "rk o'dd \"/#?%2F&{{newValue}} " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String createUser(String name, String value) {
        api.createUser(name, value);
        return name;
    }

    @Override
    public void dropUser(String username) {
        api.dropUser(username);
    }

    @Override
    public boolean logsIn(String username, String value) {
        return api.accepts(username, value);
    }

    @Override
    public Optional<HeldSession> holdSession(String username, String value) {
        return Optional.empty();
    }

    @Override
    public List<Misfit> misfits() {
        HttpCall setWithOld = new HttpCall("PUT", "/v1/{{oldValue}}", List.of(), "{\"k\":\"{{newValue}}\"}");
        HttpCall testWithoutValue = new HttpCall("GET", "/v1/users/{{username}}/whoami", List.of(), null);
        HttpCall revokeWithoutOld = new HttpCall("DELETE", "/v1/users/{{username}}", List.of(), null);
        return List.of(
                new Misfit(new TargetSettings(null, null, null, TEST, null), "set and test"),
                new Misfit(new TargetSettings(15672, null, SET, TEST, null), "managementPort"),
                new Misfit(new TargetSettings(null, null, setWithOld, TEST, null), "unknown placeholder {{oldValue}}"),
                new Misfit(new TargetSettings(null, null, SET, testWithoutValue, null), "must use {{newValue}}"),
                new Misfit(new TargetSettings(null, null, SET, TEST, revokeWithoutOld), "must use {{oldValue}}"),
                new Misfit(new TargetSettings(null, null, new HttpCall("TRACE", "/v1", List.of(), "{{newValue}}"),
                        TEST, null), "method"),
                new Misfit(new TargetSettings(null, null, new HttpCall("PUT", "v1/{{newValue}}", List.of(), null),
                        TEST, null), "path"),
                new Misfit(new TargetSettings(null, null, new HttpCall("PUT", "/v1/{{newValue}}",
                        List.of(new HttpHeader("Host", "evil.example")), null), TEST, null), "header name"),
                new Misfit(new TargetSettings(null, null, new HttpCall("PUT", "/v1/{{newValue}}",
                        List.of(), "{{admin.token}}"), TEST, null), "unknown placeholder {{admin.token}}"));
    }

    /** An API-key service receives the key by design: there is nothing to watch for. */
    @Override
    public Optional<String> observe(String adminSecretPath, Consumer<RotationDue.Target> action) {
        return Optional.empty();
    }
}
