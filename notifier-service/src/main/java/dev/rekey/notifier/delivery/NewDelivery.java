package dev.rekey.notifier.delivery;

import dev.rekey.notifier.notice.Content;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message to enqueue: at most one per (eventKey, audience, channel), whatever is redelivered.
 *
 * @param eventKey          what caused it, e.g. {@code breach:<id>:alert}, {@code failure:<rotationId>:final}
 * @param audience          the owner id, or {@link #INCIDENT}
 * @param destination       the address, the Vault path of the Slack URL, or the webhook URL
 * @param signingSecretPath webhooks: the Vault path of the signing secret
 * @param undeliverable     why it cannot be sent at all (the audience has no channel), or null
 * @param traceparent       the W3C traceparent of the event that caused it, or null: the send is a span of that trace
 */
public record NewDelivery(String eventKey, String audience, Channel channel, String kind, UUID breachId,
                          String destination, String signingSecretPath, Content content, Instant eventAt,
                          String undeliverable, String traceparent) {

    /** The audience of the incident commanders' channel (owner ids never start with '#'). */
    public static final String INCIDENT = "#incident";

    /** The same delivery, sent in the trace {@code traceparent} names. */
    public NewDelivery withTraceparent(String traceparent) {
        return new NewDelivery(eventKey, audience, channel, kind, breachId, destination, signingSecretPath, content,
                eventAt, undeliverable, traceparent);
    }

    public NewDelivery {
        Objects.requireNonNull(eventKey, "eventKey");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(eventAt, "eventAt");
    }
}
