package dev.rekey.notifier.delivery;

import io.smallrye.mutiny.Uni;

/** Hands a claimed message to its channel. Implementations never fail the Uni: they answer a {@link SendResult}. */
public interface ChannelSender {

    Channel channel();

    Uni<SendResult> send(OutgoingMessage message);
}
