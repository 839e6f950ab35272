package dev.rekey.inventory.owner.domain;

import dev.rekey.events.OwnerChanged;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A team or person who owns credentials and is alerted about their rotations. Its channel secrets (a Slack webhook
 * URL embeds a token, a webhook has a signing key) live in Vault; the owner holds their paths only.
 */
@Entity
@Table(name = "owners")
public class Owner extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String email;

    /** {@code mount/path} of the Vault secret whose {@code url} field is the Slack-compatible webhook URL. */
    @Column(name = "slack_webhook_secret_path")
    public String slackWebhookSecretPath;

    /** Where signed generic webhook notices are POSTed. */
    @Column(name = "webhook_url")
    public String webhookUrl;

    /** {@code mount/path} of the Vault secret whose {@code secret} field signs the webhook notices. */
    @Column(name = "webhook_signing_secret_path")
    public String webhookSigningSecretPath;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The channels as the event contract and the API show them. */
    public OwnerChanged.Channels channels() {
        return new OwnerChanged.Channels(slackWebhookSecretPath,
                webhookUrl == null ? null : new OwnerChanged.Webhook(webhookUrl, webhookSigningSecretPath));
    }

    /** The owner's current state, as published on {@code rekey.owners}. */
    public OwnerChanged toEvent() {
        return new OwnerChanged(id, name, email, channels());
    }
}
