package dev.rekey.notifier.campaign;

import dev.rekey.notifier.owner.OwnerChannels;
import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The incident commanders' channel: every urgent failure alert goes there too. Any of the three, or none. */
@ConfigMapping(prefix = "notifier.incident")
public interface IncidentConfig {

    /** Mail address of the incident commanders. */
    Optional<String> email();

    /** {@code mount/path} of the Vault secret whose {@code url} is their Slack-compatible incoming webhook. */
    Optional<String> slackWebhookSecretPath();

    /** Their generic webhook (Standard Webhooks). */
    Optional<String> webhookUrl();

    /** {@code mount/path} of the Vault secret whose {@code secret} is that webhook's {@code whsec_} key. */
    Optional<String> webhookSigningSecretPath();

    default OwnerChannels channels() {
        return new OwnerChannels(email().orElse(null), slackWebhookSecretPath().orElse(null),
                webhookUrl().orElse(null), webhookSigningSecretPath().orElse(null));
    }
}
