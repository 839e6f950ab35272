package dev.rekey.inventory.owner.rest;

import dev.rekey.inventory.owner.domain.Owner;

import java.net.URI;

/**
 * An owner as the API shows it. Webhook URLs embed tokens: callers other than admins and the owner itself see only
 * their scheme and host.
 */
public record OwnerView(String id, String name, String email, String slackWebhook, String webhook) {

    static OwnerView of(Owner owner, boolean revealWebhooks) {
        return new OwnerView(owner.id, owner.name, owner.email,
                revealWebhooks ? owner.slackWebhook : redact(owner.slackWebhook),
                revealWebhooks ? owner.webhook : redact(owner.webhook));
    }

    private static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + "/…";
        } catch (IllegalArgumentException e) {
            return "…";
        }
    }
}
