package dev.rekey.notifier.channel;

import dev.rekey.notifier.delivery.Channel;
import dev.rekey.notifier.delivery.ChannelSender;
import dev.rekey.notifier.delivery.OutgoingMessage;
import dev.rekey.notifier.delivery.SendResult;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Email through Quarkus Mailer: plain text with an HTML alternative. The {@code Message-ID} is the delivery's, the
 * same on every attempt, so a mail sent twice (the server accepted it, this instance died before recording it) is
 * recognisable as one.
 */
@ApplicationScoped
public class EmailSender implements ChannelSender {

    private final ReactiveMailer mailer;

    EmailSender(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public Uni<SendResult> send(OutgoingMessage message) {
        // deferred, so that an address the mail client rejects while building the message is a failed attempt too
        return Uni.createFrom().deferred(() -> mailer.send(mail(message)))
                .map(ignored -> SendResult.SENT)
                .onFailure().recoverWithItem(e -> SendResult.retryable(e.getMessage() == null
                        ? e.getClass().getName() : e.getMessage()));
    }

    private static Mail mail(OutgoingMessage message) {
        Mail mail = message.html() == null ? Mail.withText(message.destination(), message.subject(), message.body())
                : Mail.withHtml(message.destination(), message.subject(), message.html()).setText(message.body());
        return mail.addHeader("Message-ID", message.messageId())
                .addHeader("X-Rekey-Delivery-Id", message.id().toString())
                .addHeader("X-Rekey-Kind", message.kind());
    }
}
