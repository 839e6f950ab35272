package dev.rekey.inventory.campaign.domain;

import dev.rekey.events.BreachSelector;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** A reported breach and the rotation campaign over its blast radius. */
@Entity
@Table(name = "breaches")
public class Breach extends PanacheEntityBase {

    @Id
    public UUID id;

    public String title;

    public String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    public BreachSelector selector;

    /** The reporter's JWT subject. */
    @Column(name = "reported_by")
    public String reportedBy;

    @Column(name = "reported_at")
    public Instant reportedAt;

    /** When the last credential of the campaign left PENDING; null while it runs. */
    @Column(name = "completed_at")
    public Instant completedAt;

    /** How many credentials the campaign rotates. */
    public int total;
}
