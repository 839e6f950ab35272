package dev.rekey.inventory.system.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import dev.rekey.events.TargetSettings;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/** A downstream system whose users' passwords rekey rotates (a database, a broker, an HTTP API, a KV store). */
@Entity
@Table(name = "systems")
public class DownstreamSystem extends PanacheEntityBase {

    @Id
    public String id;

    public String type;

    public String host;

    public int port;

    public String database;

    /** {@code mount/path} of the Vault secret holding this system's admin login. */
    @Column(name = "admin_secret_path")
    public String adminSecretPath;

    @Column(name = "max_concurrent_rotations")
    public int maxConcurrentRotations;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags;

    /** What only some types need (RabbitMQ's management port, an HTTP target's calls); never a secret. */
    @JdbcTypeCode(SqlTypes.JSON)
    public TargetSettings settings;

    @Column(name = "created_at")
    public Instant createdAt;
}
