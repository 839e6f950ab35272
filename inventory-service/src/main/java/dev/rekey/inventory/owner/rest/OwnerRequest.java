package dev.rekey.inventory.owner.rest;

import dev.rekey.events.Ids;
import dev.rekey.inventory.api.PlainText;
import dev.rekey.inventory.api.VaultPaths;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /owners} and {@code PUT /owners/{id}} (where {@code id} may be left out).
 *
 * @param channels where the owner is alerted besides email; Vault paths of the secrets, never the secrets
 */
public record OwnerRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
        @NotBlank @Size(max = 200) @PlainText String name,
        @NotBlank @Email @Size(max = 320) @PlainText String email,
        @Valid ChannelsRequest channels) {

    /**
     * An owner's channels.
     *
     * @param slackWebhookSecretPath {@code mount/path} of the Vault secret whose {@code url} field is the Slack
     *                               webhook URL
     */
    public record ChannelsRequest(
            @Size(max = 500) @Pattern(regexp = VaultPaths.MOUNT_AND_PATH, message = VaultPaths.MOUNT_AND_PATH_MESSAGE)
            String slackWebhookSecretPath,
            @Valid WebhookRequest webhook) {
    }

    /**
     * A generic webhook signed per the Standard Webhooks specification.
     *
     * @param url               https, without user info (credentials never go in a URL)
     * @param signingSecretPath {@code mount/path} of the Vault secret whose {@code secret} field is the signing key
     */
    public record WebhookRequest(
            @NotNull @Size(max = 2000) @PlainText String url,
            @NotNull @Size(max = 500)
            @Pattern(regexp = VaultPaths.MOUNT_AND_PATH, message = VaultPaths.MOUNT_AND_PATH_MESSAGE)
            String signingSecretPath) {
    }
}
