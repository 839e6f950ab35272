package dev.rekey.notifier.delivery;

import java.util.UUID;

/**
 * A delivery claimed for sending, detached from the session that claimed it.
 *
 * @param attempts how many attempts were made before this one
 */
public record OutgoingMail(UUID id, UUID breachId, String ownerId, DeliveryKind kind, String recipient, String subject,
                           String body, int attempts) {

    static OutgoingMail of(Delivery delivery) {
        return new OutgoingMail(delivery.id, delivery.breachId, delivery.ownerId, delivery.kind, delivery.recipient,
                delivery.subject, delivery.body, delivery.attempts);
    }
}
