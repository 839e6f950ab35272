package dev.rekey.notifier.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery claimed for sending.
 *
 * @param id       the message's identity towards the receiver: {@code Message-ID}, {@code webhook-id}
 * @param attempts    how many attempts were made before this one
 * @param traceparent the W3C traceparent of the event that caused it, or null
 */
public record OutgoingMessage(UUID id, String eventKey, String audience, Channel channel, String kind,
                              String destination, String signingSecretPath, String subject, String body, String html,
                              Instant eventAt, int attempts, String traceparent) {

    /** The stable {@code Message-ID} of the mail: the same on every attempt, so a duplicate is recognisable. */
    public String messageId() {
        return "<" + id + "@notifier.rekey>";
    }

    /** The stable Standard Webhooks {@code webhook-id}: no '.', as the signed content is dot-separated. */
    public String webhookId() {
        return "msg_" + id.toString().replace("-", "");
    }
}
