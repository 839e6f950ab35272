package dev.rekey.inventory.owner.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A team or person who owns credentials and is alerted about their rotations. */
@Entity
@Table(name = "owners")
public class Owner extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String email;

    /** A Slack-compatible incoming webhook URL; it embeds a token, so only admins and the owner see it whole. */
    @Column(name = "slack_webhook")
    public String slackWebhook;

    /** A generic webhook URL that receives signed rotation notices. */
    public String webhook;

    @Column(name = "created_at")
    public Instant createdAt;
}
