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

    /** The CloudEvents subject, and the record key unless {@link #recordKey} says otherwise. */
    @Column(name = "aggregateid")
    public String aggregateId;

    /** The Kafka record key when it is not the aggregate id (rotation-due is keyed by system id). */
    @Column(name = "record_key")
    public String recordKey;

    /** The CloudEvents type. */
    public String type;

    public String topic;

    /** The event as JSON ({@link EventJson}); never a secret value. Null for a tombstone. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The W3C traceparent of the transaction that wrote the row (V20), null without tracing. */
    public String traceparent;

    /** A new outbox row carrying {@code event}, keyed by the aggregate id. */
    public static OutboxEvent of(String topic, String type, String aggregateType, String aggregateId, Object event) {
        return keyed(topic, type, aggregateType, aggregateId, aggregateId, event);
    }

    /** A new outbox row carrying {@code event} under a record key of its own. */
    public static OutboxEvent keyed(String topic, String type, String aggregateType, String aggregateId,
                                    String recordKey, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.randomUUID();
        row.topic = topic;
        row.type = type;
        row.aggregateType = aggregateType;
        row.aggregateId = aggregateId;
        row.recordKey = recordKey;
        row.payload = event == null ? null : EventJson.encode(event);
        row.createdAt = StoredInstant.now();
        row.traceparent = OutboxTracing.currentTraceparent();
        return row;
    }

    /** A tombstone: a record with the aggregate id as key and no value, which deletes the key from a compacted topic. */
    public static OutboxEvent tombstone(String topic, String type, String aggregateType, String aggregateId) {
        return keyed(topic, type, aggregateType, aggregateId, aggregateId, null);
    }
}
