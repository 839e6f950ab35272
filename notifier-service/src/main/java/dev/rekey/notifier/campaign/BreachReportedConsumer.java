package dev.rekey.notifier.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.EventJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code rekey.breach-reported}. The returned {@code Uni} completes after the commit, so the offset is
 * committed after the database; a malformed record fails it and goes to the dead-letter queue with the reason.
 */
@ApplicationScoped
public class BreachReportedConsumer {

    private final CampaignProgress progress;

    BreachReportedConsumer(CampaignProgress progress) {
        this.progress = progress;
    }

    @Incoming(Channels.BREACH_REPORTED)
    public Uni<Void> consume(String payload) {
        return Uni.createFrom().item(() -> EventJson.decode(payload, BreachReported.class))
                .chain(progress::open);
    }
}
