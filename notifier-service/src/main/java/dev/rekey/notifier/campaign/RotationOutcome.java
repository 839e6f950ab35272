package dev.rekey.notifier.campaign;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** How one breach rotation ended, as recorded from its event. Written by {@link CampaignStore}. */
@Entity
@Table(name = "rotation_outcomes")
public class RotationOutcome extends PanacheEntityBase {

    @Id
    @Column(name = "rotation_id")
    public UUID rotationId;

    @Column(name = "breach_id")
    public UUID breachId;

    @Column(name = "owner_id")
    public String ownerId;

    @Column(name = "credential_id")
    public String credentialId;

    @Enumerated(EnumType.STRING)
    public OutcomeKind outcome;

    public Long version;

    @Column(name = "vault_path")
    public String vaultPath;

    @Column(name = "failed_step")
    public String failedStep;

    public String reason;

    @Column(name = "old_credential_valid")
    public boolean oldCredentialValid;

    @Column(name = "occurred_at")
    public Instant occurredAt;
}
