package dev.rekey.inventory.outbox;

import dev.rekey.events.EventJson;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.persistence.JsonRows;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An event written in the same transaction as the change it announces, and sent to Kafka by {@link OutboxRelay}
 * afterwards (Debezium's outbox shape plus the destination topic). The id becomes the CloudEvents id.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    // The rows are inserted in list order (ordinality), which gives them their seq: the relay's per-key order.
    private static final String INSERT_ALL = "INSERT INTO outbox (id, aggregatetype, aggregateid, record_key, type,"
            + " topic, payload, created_at, traceparent) SELECT id, aggregatetype, aggregateid, record_key, type,"
            + " topic, payload, created_at, traceparent FROM ROWS FROM (" + JsonRows.RECORDSET
            + " AS (id uuid, aggregatetype text, aggregateid text, record_key text, type text, topic text,"
            + " payload text, created_at timestamptz, traceparent text)) WITH ORDINALITY AS r(id, aggregatetype,"
            + " aggregateid, record_key, type, topic, payload, created_at, traceparent, n) ORDER BY n";

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

    /**
     * Inserts {@code rows} in the session's transaction with one statement, in their order: a campaign's thousands
     * of rotation requests cost one round trip instead of a batch of inserts and a managed entity each.
     */
    public static Uni<Integer> insertAll(Mutiny.Session session, List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String json = JsonRows.encode(rows, row -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", row.id);
            c.put("aggregatetype", row.aggregateType);
            c.put("aggregateid", row.aggregateId);
            c.put("record_key", row.recordKey);
            c.put("type", row.type);
            c.put("topic", row.topic);
            c.put("payload", row.payload);
            c.put("created_at", row.createdAt);
            c.put("traceparent", row.traceparent);
            return c;
        });
        return session.createNativeQuery(INSERT_ALL).setParameter("rows", json).executeUpdate();
    }

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
