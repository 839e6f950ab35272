package dev.rekey.notifier.owner;

/**
 * Where one audience (an owner, or the incident commanders) is told things. Secrets are Vault paths, read at send
 * time, never values.
 *
 * @param email             the mail address; blank for none
 * @param slackSecretPath   {@code mount/path} of the Vault secret whose {@code url} is a Slack-compatible incoming
 *                          webhook; null for none
 * @param webhookUrl        a generic webhook signed per Standard Webhooks; null for none
 * @param webhookSecretPath {@code mount/path} of the Vault secret whose {@code secret} is its {@code whsec_} key
 */
public record OwnerChannels(String email, String slackSecretPath, String webhookUrl, String webhookSecretPath) {

    public static final OwnerChannels NONE = new OwnerChannels(null, null, null, null);

    public static OwnerChannels emailOnly(String email) {
        return new OwnerChannels(email, null, null, null);
    }

    public boolean hasEmail() {
        return email != null && !email.isBlank();
    }

    public boolean hasSlack() {
        return slackSecretPath != null && !slackSecretPath.isBlank();
    }

    public boolean hasWebhook() {
        return webhookUrl != null && !webhookUrl.isBlank() && webhookSecretPath != null && !webhookSecretPath.isBlank();
    }

    public boolean isEmpty() {
        return !hasEmail() && !hasSlack() && !hasWebhook();
    }
}
