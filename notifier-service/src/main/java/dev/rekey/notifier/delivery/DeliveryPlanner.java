package dev.rekey.notifier.delivery;

import dev.rekey.notifier.notice.Notice;
import dev.rekey.notifier.notice.NoticeRenderer;
import dev.rekey.notifier.owner.OwnerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns a notice for an audience into one delivery per channel the audience uses, each rendered for its channel. */
@ApplicationScoped
public class DeliveryPlanner {

    private static final Logger LOG = Logger.getLogger(DeliveryPlanner.class);

    private final NoticeRenderer renderer;
    private final DeliveryMetrics metrics;

    DeliveryPlanner(NoticeRenderer renderer, DeliveryMetrics metrics) {
        this.renderer = renderer;
        this.metrics = metrics;
    }

    /**
     * The deliveries of {@code notice} to {@code audience}. An audience without any channel gets one email delivery
     * that is FAILED from the start, so that the log, a log line and {@code rekey_notifications_total{outcome=failed}}
     * all show a message that could not go anywhere.
     */
    public List<NewDelivery> plan(String eventKey, String audience, OwnerChannels channels, Notice notice,
                                  UUID breachId) {
        List<NewDelivery> deliveries = new ArrayList<>(3);
        if (channels.isEmpty()) {
            LOG.errorf("%s for %s (%s) cannot be delivered: it has no channel (no email address, no Slack, no webhook)",
                    notice.kind(), audience, eventKey);
            metrics.counted(Channel.EMAIL, notice.kind(), "failed");
            deliveries.add(new NewDelivery(eventKey, audience, Channel.EMAIL, notice.kind(), breachId, "",
                    null, renderer.render(notice, Channel.EMAIL), notice.eventAt(), "no channel to deliver to", null));
            return deliveries;
        }
        if (channels.hasEmail()) {
            deliveries.add(delivery(eventKey, audience, Channel.EMAIL, notice, breachId, channels.email().strip(), null));
        }
        if (channels.hasSlack()) {
            deliveries.add(delivery(eventKey, audience, Channel.SLACK, notice, breachId, channels.slackSecretPath(), null));
        }
        if (channels.hasWebhook()) {
            deliveries.add(delivery(eventKey, audience, Channel.WEBHOOK, notice, breachId, channels.webhookUrl(),
                    channels.webhookSecretPath()));
        }
        return deliveries;
    }

    private NewDelivery delivery(String eventKey, String audience, Channel channel, Notice notice, UUID breachId,
                                 String destination, String signingSecretPath) {
        return new NewDelivery(eventKey, audience, channel, notice.kind(), breachId, destination, signingSecretPath,
                renderer.render(notice, channel), notice.eventAt(), null, null);
    }
}
