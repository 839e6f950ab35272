package dev.rekey.inventory.campaign.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One retry pass of a campaign: who rotated its failed credentials again, when, and how many. */
@Entity
@Table(name = "breach_retries")
public class BreachRetry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "breach_id")
    public UUID breachId;

    /** The caller's JWT subject. */
    @Column(name = "retried_by")
    public String retriedBy;

    @Column(name = "retried_at")
    public Instant retriedAt;

    /** How many failed credentials the pass rotates again. */
    public int count;
}
