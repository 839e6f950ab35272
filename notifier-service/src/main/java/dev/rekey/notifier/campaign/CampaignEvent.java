package dev.rekey.notifier.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.EventJson;
import dev.rekey.events.MalformedEventException;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.events.Topics;

/** One record of the three topics the campaign bookkeeping reads, decoded by its topic. */
public sealed interface CampaignEvent {

    /** A breach was reported: its owners and their counts. */
    record Reported(BreachReported event) implements CampaignEvent {
    }

    /** A rotation committed a verified new value. */
    record Rotated(SecretRotated event) implements CampaignEvent {
    }

    /** A rotation attempt failed; final or not. */
    record Failed(RotationFailed event) implements CampaignEvent {
    }

    /** @throws MalformedEventException when the payload is not an event of its topic */
    static CampaignEvent decode(String topic, String payload) {
        return switch (topic) {
            case Topics.BREACH_REPORTED -> new Reported(EventJson.decode(payload, BreachReported.class));
            case Topics.SECRET_ROTATED -> new Rotated(EventJson.decode(payload, SecretRotated.class));
            case Topics.ROTATION_FAILED -> new Failed(EventJson.decode(payload, RotationFailed.class));
            default -> throw new MalformedEventException("not a campaign topic: " + topic, null);
        };
    }
}
