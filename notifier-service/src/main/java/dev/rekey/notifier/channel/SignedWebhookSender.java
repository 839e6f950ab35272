package dev.rekey.notifier.channel;

import dev.rekey.notifier.delivery.Channel;
import dev.rekey.notifier.delivery.ChannelSender;
import dev.rekey.notifier.delivery.OutgoingMessage;
import dev.rekey.notifier.delivery.SendResult;
import dev.rekey.notifier.vault.ChannelSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/**
 * A generic webhook signed per Standard Webhooks: {@code webhook-id} (the delivery's, the same on every attempt, so
 * the receiver can drop a duplicate), {@code webhook-timestamp} (this attempt, in seconds) and
 * {@code webhook-signature}, with the {@code whsec_} key read from Vault (field {@code secret}) at send time.
 */
@ApplicationScoped
public class SignedWebhookSender implements ChannelSender {

    static final String SECRET_FIELD = "secret";

    private final ChannelSecrets secrets;
    private final WebhookCall call;

    SignedWebhookSender(ChannelSecrets secrets, WebhookCall call) {
        this.secrets = secrets;
        this.call = call;
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public Uni<SendResult> send(OutgoingMessage message) {
        return secrets.read(message.signingSecretPath(), SECRET_FIELD)
                .chain(secret -> {
                    WebhookSignature signature;
                    try {
                        signature = WebhookSignature.of(secret);
                    } catch (IllegalArgumentException e) {
                        return Uni.createFrom().item(SendResult.retryable(
                                "signing secret at " + message.signingSecretPath() + ": " + e.getMessage()));
                    }
                    long timestamp = Instant.now().getEpochSecond();
                    return call.post(message.destination(), Map.of(
                            "webhook-id", message.webhookId(),
                            "webhook-timestamp", Long.toString(timestamp),
                            "webhook-signature", signature.sign(message.webhookId(), timestamp, message.body())),
                            message.body());
                })
                .onFailure().recoverWithItem(e -> SendResult.retryable(e.getMessage()));
    }
}
