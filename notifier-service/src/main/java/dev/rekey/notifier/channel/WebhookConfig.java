package dev.rekey.notifier.channel;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Where Slack and generic webhooks may go, and how long a call may take. */
@ConfigMapping(prefix = "notifier.webhook")
public interface WebhookConfig {

    /**
     * Hosts (as written in the URL, case-insensitive) that may be called over plain http and may resolve to
     * loopback, private or link-local addresses; every other URL must be https to a public address. Empty: none.
     */
    Optional<Set<String>> allowedHosts();

    /** Time to connect to a webhook. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time for a webhook to answer (Standard Webhooks recommends 15 to 30 s). */
    @WithDefault("15s")
    Duration requestTimeout();
}
