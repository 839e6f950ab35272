package dev.rekey.inventory.owner.service;

import dev.rekey.inventory.api.ApiProblem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** What an owner's webhook URL must be: absolute https with a host, and no credentials in it. */
final class WebhookUrls {

    private WebhookUrls() {
    }

    static void check(String field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiProblem.invalid(field, "must be a URL");
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw ApiProblem.invalid(field, "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiProblem.invalid(field, "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiProblem.invalid(field, "must not carry credentials; put the signing key in Vault");
        }
        if (uri.getRawFragment() != null) {
            throw ApiProblem.invalid(field, "must not have a fragment");
        }
    }
}
