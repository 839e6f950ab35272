package dev.rekey.notifier.channel;

import dev.rekey.notifier.delivery.Channel;
import dev.rekey.notifier.delivery.ChannelSender;
import dev.rekey.notifier.delivery.OutgoingMessage;
import dev.rekey.notifier.delivery.SendResult;
import dev.rekey.notifier.vault.ChannelSecrets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * A Slack-compatible incoming webhook: the URL is a secret, read from Vault (field {@code url}) at the path the
 * owner record names, at send time. The request carries the delivery id so a duplicate can be told apart.
 */
@ApplicationScoped
public class SlackSender implements ChannelSender {

    static final String URL_FIELD = "url";

    private final ChannelSecrets secrets;
    private final WebhookCall call;

    SlackSender(ChannelSecrets secrets, WebhookCall call) {
        this.secrets = secrets;
        this.call = call;
    }

    @Override
    public Channel channel() {
        return Channel.SLACK;
    }

    @Override
    public Uni<SendResult> send(OutgoingMessage message) {
        return secrets.read(message.destination(), URL_FIELD)
                .chain(url -> call.post(url, Map.of("X-Rekey-Delivery-Id", message.id().toString()), message.body()))
                .onFailure().recoverWithItem(e -> SendResult.retryable(e.getMessage()));
    }
}
