package dev.rekey.devstack.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * JWTs signed with the devstack's dev key, which the local stack and the tests trust. The key pair ships in this
 * module on purpose: it protects nothing outside dev and tests. A real deployment configures its own issuer's
 * public key ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}).
 */
public final class DevTokens {

    /** The {@code iss} of dev tokens; services verify it through {@code mp.jwt.verify.issuer}. */
    public static final String ISSUER = "https://rekey.dev/devstack";
    private static final String PRIVATE_KEY = "dev/rekey/devstack/auth/dev-private-key.pem";
    private static final String PUBLIC_KEY = "dev/rekey/devstack/auth/dev-public-key.pem";

    private DevTokens() {
    }

    /** A signed RS256 token for {@code subject} with the given roles ({@code groups}), valid for {@code ttlSeconds}
     * (negative: already expired). */
    public static String issue(String subject, List<String> groups, long ttlSeconds) {
        long now = Instant.now().getEpochSecond();
        long iat = ttlSeconds < 0 ? now + ttlSeconds - 60 : now;
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + json(subject) + "\",\"upn\":\"" + json(subject)
                + "\",\"groups\":[" + groups.stream().map(g -> "\"" + json(g) + "\"").collect(Collectors.joining(","))
                + "],\"iat\":" + iat + ",\"exp\":" + (now + ttlSeconds) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        return sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims);
    }

    /** Signs arbitrary header and claims JSON with the dev key, for tests of malformed tokens. */
    public static String sign(String headerJson, String claimsJson) {
        String signingInput = base64Url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }

    /** The dev public key (PEM), for {@code mp.jwt.verify.publickey}. */
    public static String publicKeyPem() {
        return resource(PUBLIC_KEY);
    }

    private static PrivateKey privateKey() throws GeneralSecurityException {
        String pem = resource(PRIVATE_KEY).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static String resource(String name) {
        try (InputStream in = DevTokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
