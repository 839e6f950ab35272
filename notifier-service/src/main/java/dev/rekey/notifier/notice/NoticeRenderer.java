package dev.rekey.notifier.notice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rekey.events.EventJson;
import dev.rekey.notifier.delivery.Channel;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Renders a notice for a channel: mail as plain text and HTML (Qute templates {@code templates/email/<kind>.txt} and
 * {@code .html}), Slack as a {@code {"text": …}} document ({@code templates/slack/<kind>.txt}, mrkdwn), a generic
 * webhook as a Standard Webhooks payload {@code {"type", "timestamp", "data"}} whose data is the notice itself.
 */
@ApplicationScoped
public class NoticeRenderer {

    private final Engine engine;
    private final Links links;

    NoticeRenderer(Engine engine, @ConfigProperty(name = "notifier.links.inventory-url") Optional<String> inventoryUrl) {
        this.engine = engine;
        this.links = new Links(inventoryUrl);
    }

    public Content render(Notice notice, Channel channel) {
        return switch (channel) {
            case EMAIL -> new Content(notice.subject(), template("email/" + notice.kind() + ".txt", notice),
                    template("email/" + notice.kind() + ".html", notice));
            case SLACK -> new Content(notice.subject(), json(EventJson.mapper().createObjectNode()
                    .put("text", template("slack/" + notice.kind() + ".txt", notice))), null);
            case WEBHOOK -> new Content(notice.subject(), json(webhookPayload(notice)), null);
        };
    }

    private String template(String id, Notice notice) {
        Template template = engine.getTemplate(id);
        if (template == null) {
            throw new IllegalStateException("no template " + id);
        }
        return template.data("notice", notice).data("links", links).render();
    }

    private static ObjectNode webhookPayload(Notice notice) {
        ObjectNode payload = EventJson.mapper().createObjectNode();
        payload.put("type", notice.webhookType());
        payload.put("timestamp", notice.eventAt().toString());
        payload.put("subject", notice.subject());
        payload.set("data", EventJson.mapper().valueToTree(notice));
        return payload;
    }

    private static String json(ObjectNode node) {
        try {
            return EventJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
