package dev.rekey.inventory.outbox;

import dev.rekey.events.EventJson;
import dev.rekey.inventory.api.StoredInstant;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An event written in the same transaction as the change it announces, and sent to Kafka by {@link OutboxRelay}
 * afterwards (Debezium's outbox shape plus the destination topic). The id becomes the CloudEvents id.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    /** e.g. {@code credential}, {@code breach}. */
    @Column(name = "aggregatetype")
    public String aggregateType;

    /** The record key and the CloudEvents subject. */
    @Column(name = "aggregateid")
    public String aggregateId;

    /** The CloudEvents type. */
    public String type;

    public String topic;

    /** The event as JSON ({@link EventJson}); never a secret value. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** A new outbox row carrying {@code event}. */
    public static OutboxEvent of(String topic, String type, String aggregateType, String aggregateId, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.topic = topic;
        row.type = type;
        row.aggregateType = aggregateType;
        row.aggregateId = aggregateId;
        row.payload = EventJson.encode(event);
        row.createdAt = StoredInstant.now();
        return row;
    }
}
