package dev.rekey.devstack.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Issues RS256 JWTs the way an OIDC provider would for the inventory: issuer {@link #ISSUER}, audience
 * {@link #AUDIENCE}, roles in {@code groups}, signed with a {@link DevKeyPair} that is generated per stack
 * ({@code ./rekey up}) or per test JVM, never committed.
 */
public final class DevTokens {

    /** The {@code iss} of dev tokens ({@code MP_JWT_VERIFY_ISSUER}). */
    public static final String ISSUER = "https://rekey.dev/devstack";
    /** The {@code aud} of dev tokens ({@code MP_JWT_VERIFY_AUDIENCES}). */
    public static final String AUDIENCE = "rekey-inventory";

    private final DevKeyPair keys;

    public DevTokens(DevKeyPair keys) {
        this.keys = keys;
    }

    public DevKeyPair keys() {
        return keys;
    }

    /**
     * A signed token for {@code subject} with the given roles ({@code groups}), valid for {@code ttlSeconds}
     * (negative: already expired).
     */
    public String issue(String subject, List<String> groups, long ttlSeconds) {
        return sign(header(), claims(subject, groups, ttlSeconds, AUDIENCE));
    }

    /** The claims JSON of {@link #issue}, for tests that alter a claim and sign the result with {@link #sign}. */
    public static String claims(String subject, List<String> groups, long ttlSeconds, String audience) {
        long now = Instant.now().getEpochSecond();
        long iat = ttlSeconds < 0 ? now + ttlSeconds - 60 : now;
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + json(subject) + "\",\"upn\":\"" + json(subject) + "\","
                + (audience == null ? "" : "\"aud\":\"" + json(audience) + "\",")
                + "\"groups\":[" + groups.stream().map(g -> "\"" + json(g) + "\"").collect(Collectors.joining(","))
                + "],\"iat\":" + iat + ",\"exp\":" + (now + ttlSeconds) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    /** The JOSE header of this key's tokens. */
    public String header() {
        return "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.kid() + "\"}";
    }

    /** Signs arbitrary header and claims JSON with this key, for tests of malformed tokens. */
    public String sign(String headerJson, String claimsJson) {
        String signingInput = base64Url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.keys().getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
