package dev.rekey.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * An owner was created or changed. Topic {@link Topics#OWNERS} (compacted), type {@link EventTypes#OWNER_CHANGED},
 * keyed by owner id, so that the topic always holds every owner's latest state. A deleted owner is a tombstone: a
 * record with this key and a null value. Channel secrets are Vault paths, never values.
 *
 * @param email    where the owner gets its mail
 * @param channels the owner's other channels; {@link Channels#NONE} when it has only email
 */
public record OwnerChanged(String ownerId, String name, String email,
                           @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Channels.OmitWhenNone.class)
                           Channels channels) {

    public OwnerChanged {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        channels = channels == null ? Channels.NONE : channels;
    }

    /**
     * Where an owner is told about rotations besides email.
     *
     * @param slackWebhookSecretPath {@code mount/path} of the Vault secret whose {@code url} field is the owner's
     *                               Slack-compatible incoming webhook URL; absent for none
     * @param webhook                a generic webhook signed per the Standard Webhooks specification; absent for none
     */
    public record Channels(String slackWebhookSecretPath, Webhook webhook) {

        public static final Channels NONE = new Channels(null, null);

        /** Leaves an owner without channels out of the JSON ({@code @JsonInclude} filter). */
        public static final class OmitWhenNone {

            @Override
            public boolean equals(Object value) {
                return value == null || NONE.equals(value);
            }

            @Override
            public int hashCode() {
                return 0;
            }
        }
    }

    /**
     * A generic webhook.
     *
     * @param url               where the notifier POSTs (https, unless the notifier's allowlist says otherwise)
     * @param signingSecretPath {@code mount/path} of the Vault secret whose {@code secret} field is the signing key
     *                          ({@code whsec_…}, base64)
     */
    public record Webhook(String url, String signingSecretPath) {

        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(signingSecretPath, "signingSecretPath");
        }
    }
}
