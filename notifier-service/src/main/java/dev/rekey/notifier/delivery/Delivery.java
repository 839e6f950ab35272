package dev.rekey.notifier.delivery;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One mail in the durable delivery log. Rows are written by {@link DeliveryLog}; this mapping is for reading them. */
@Entity
@Table(name = "deliveries")
public class Delivery extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "breach_id")
    public UUID breachId;

    @Column(name = "owner_id")
    public String ownerId;

    @Enumerated(EnumType.STRING)
    public DeliveryKind kind;

    public String recipient;

    public String subject;

    public String body;

    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;
}
