package dev.rekey.notifier.campaign;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An owner concerned by a breach, and how many of their credentials it rotates. Written by {@link CampaignStore}. */
@Entity
@Table(name = "campaign_owners")
@IdClass(CampaignOwner.Key.class)
public class CampaignOwner extends PanacheEntityBase {

    @Id
    @Column(name = "breach_id")
    public UUID breachId;

    @Id
    @Column(name = "owner_id")
    public String ownerId;

    public String email;

    public String title;

    @Column(name = "expected_count")
    public int expectedCount;

    @Column(name = "reported_at")
    public Instant reportedAt;

    /** The primary key: one row per breach and owner. */
    public static class Key implements Serializable {

        public UUID breachId;
        public String ownerId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(breachId, key.breachId)
                    && Objects.equals(ownerId, key.ownerId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(breachId, ownerId);
        }
    }
}
