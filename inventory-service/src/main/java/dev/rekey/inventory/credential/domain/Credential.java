package dev.rekey.inventory.credential.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/**
 * A credential: a user on a downstream system whose password lives in a Vault KV v2 secret. The inventory knows
 * where the secret is, never its value.
 */
@Entity
@Table(name = "credentials")
public class Credential extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    /** e.g. {@code postgresql-role}. */
    public String kind;

    @Column(name = "vault_mount")
    public String vaultMount;

    @Column(name = "vault_path")
    public String vaultPath;

    /** The downstream user; null for a discovered credential until an admin completes it. */
    public String username;

    /** The second downstream user of the alternating strategy; null for in-place. */
    @Column(name = "alternate_username")
    public String alternateUsername;

    @Column(name = "system_id")
    public String systemId;

    /** Null for an unowned (discovered) credential. */
    @Column(name = "owner_id")
    public String ownerId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags;

    /** Systems or providers that hold or issued this credential, e.g. {@code okta}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "exposed_via")
    public List<String> exposedVia;

    /** Systems this credential opens. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "grants_access_to")
    public List<String> grantsAccessTo;

    @Column(name = "policy_max_age_days")
    public int maxAgeDays;

    @Column(name = "policy_generator")
    public String generator;

    @Column(name = "policy_strategy")
    public String strategy;

    @Column(name = "last_rotated_at")
    public Instant lastRotatedAt;

    /** The KV v2 version of the current value as last reported by the worker; 0 until rekey rotated it. */
    @Column(name = "version")
    public long vaultVersion;

    @Enumerated(EnumType.STRING)
    public CredentialStatus status;

    @Column(name = "created_at")
    public Instant createdAt;
}
