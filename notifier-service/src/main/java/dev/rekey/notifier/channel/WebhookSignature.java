package dev.rekey.notifier.channel;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Standard Webhooks symmetric signatures: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} with the key that a
 * {@code whsec_<base64>} secret encodes (24 to 64 bytes).
 */
public final class WebhookSignature {

    public static final String SECRET_PREFIX = "whsec_";
    private final byte[] key;

    private WebhookSignature(byte[] key) {
        this.key = key;
    }

    /**
     * @throws IllegalArgumentException when the secret is not {@code whsec_} followed by base64 of 24 to 64 bytes; the
     *                                  message never contains the secret
     */
    public static WebhookSignature of(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("the signing secret must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signing secret is not " + SECRET_PREFIX + "<base64>");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("the signing key must be 24 to 64 bytes");
        }
        return new WebhookSignature(key);
    }

    /** The {@code webhook-signature} header value for a message. */
    public String sign(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
