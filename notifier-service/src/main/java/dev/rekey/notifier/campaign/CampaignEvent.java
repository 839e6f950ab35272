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
    record Reported(BreachReported event, String traceparent) implements CampaignEvent {
    }

    /** A rotation committed a verified new value. */
    record Rotated(SecretRotated event, String traceparent) implements CampaignEvent {
    }

    /** A rotation attempt failed; final or not. */
    record Failed(RotationFailed event, String traceparent) implements CampaignEvent {
    }

    /** The record's W3C traceparent header, null without one: the deliveries it causes are sent in its trace. */
    String traceparent();

    /** @throws MalformedEventException when the payload is not an event of its topic */
    static CampaignEvent decode(String topic, String payload, String traceparent) {
        return switch (topic) {
            case Topics.BREACH_REPORTED -> new Reported(EventJson.decode(payload, BreachReported.class), traceparent);
            case Topics.SECRET_ROTATED -> new Rotated(EventJson.decode(payload, SecretRotated.class), traceparent);
            case Topics.ROTATION_FAILED -> new Failed(EventJson.decode(payload, RotationFailed.class), traceparent);
            default -> throw new MalformedEventException("not a campaign topic: " + topic, null);
        };
    }
}
