package dev.rekey.inventory.campaign.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One credential of a breach campaign, keyed by the rotation id that the worker's result events carry. */
@Entity
@Table(name = "breach_credentials")
public class BreachCredential extends PanacheEntityBase {

    @Id
    @Column(name = "rotation_id")
    public UUID rotationId;

    @Column(name = "breach_id")
    public UUID breachId;

    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "owner_id")
    public String ownerId;

    @Enumerated(EnumType.STRING)
    public BreachCredentialStatus status;

    /** The KV v2 version holding the new value, once rotated. */
    public Long version;

    /** Why the last attempt failed; never a secret value. */
    public String reason;

    public int attempts;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
