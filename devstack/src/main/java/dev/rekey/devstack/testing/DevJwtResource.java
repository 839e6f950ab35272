package dev.rekey.devstack.testing;

import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.auth.JwksServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Makes a {@code @QuarkusTest} trust the tokens of {@link #tokens()}, configured as production is: issuer, a JWKS URL
 * (served from this JVM) and the audience. The key pair is generated once per test JVM and lives only in memory;
 * like {@link SharedStack} it is kept in system properties, since Quarkus may load this class more than once.
 */
public class DevJwtResource implements QuarkusTestResourceLifecycleManager {

    private static final String KEY = "rekey.devstack.jwt.key";
    private static final String JWKS_URL = "rekey.devstack.jwt.jwks-url";

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey.location", jwksUrl(),
                "mp.jwt.verify.issuer", DevTokens.ISSUER,
                "mp.jwt.verify.audiences", DevTokens.AUDIENCE,
                // Quarkus's test mode configures an in-memory key of its own when it sees none at build time; NONE
                // (smallrye-jwt's "not set") removes it, so that the JWKS URL is the only key source, as in production
                "mp.jwt.verify.publickey", "NONE");
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; the server is a daemon
    }

    /** Tokens signed with this test JVM's key. */
    public static DevTokens tokens() {
        return new DevTokens(keys());
    }

    /** Where this test JVM serves its public key. */
    public static synchronized String jwksUrl() {
        String url = System.getProperty(JWKS_URL);
        if (url == null) {
            try {
                url = JwksServer.start(keys(), 0).url();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the test JWKS", e);
            }
            System.setProperty(JWKS_URL, url);
        }
        return url;
    }

    private static synchronized DevKeyPair keys() {
        String key = System.getProperty(KEY);
        if (key == null) {
            key = DevKeyPair.generate().encoded();
            System.setProperty(KEY, key);
        }
        return DevKeyPair.decode(key);
    }
}
