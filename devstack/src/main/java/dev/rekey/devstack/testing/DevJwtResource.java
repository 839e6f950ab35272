package dev.rekey.devstack.testing;

import dev.rekey.devstack.auth.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Makes a {@code @QuarkusTest} trust tokens from {@link DevTokens}. */
public class DevJwtResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey", DevTokens.publicKeyPem(), "mp.jwt.verify.issuer", DevTokens.ISSUER);
    }

    @Override
    public void stop() {
    }
}
