package dev.rekey.notifier.campaign;

import dev.rekey.events.EventJson;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Optional;

/**
 * Consumes {@code rekey.secret-rotated} and {@code rekey.rotation-failed}; only breach rotations, and only final
 * failures, count towards a campaign. Offsets are committed after the database; malformed records are dead-lettered.
 */
@ApplicationScoped
public class RotationOutcomeConsumer {

    private final CampaignProgress progress;

    RotationOutcomeConsumer(CampaignProgress progress) {
        this.progress = progress;
    }

    @Incoming(Channels.SECRET_ROTATED)
    public Uni<Void> onRotated(String payload) {
        return Uni.createFrom().item(() -> Outcome.of(EventJson.decode(payload, SecretRotated.class)))
                .chain(this::record);
    }

    @Incoming(Channels.ROTATION_FAILED)
    public Uni<Void> onFailed(String payload) {
        return Uni.createFrom().item(() -> Outcome.of(EventJson.decode(payload, RotationFailed.class)))
                .chain(this::record);
    }

    private Uni<Void> record(Optional<Outcome> outcome) {
        return outcome.map(progress::record).orElseGet(() -> Uni.createFrom().voidItem());
    }
}
