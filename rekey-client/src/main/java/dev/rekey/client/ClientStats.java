package dev.rekey.client;

import java.util.Map;

/**
 * What a {@link RekeyClient} has done so far, for metrics and health checks.
 *
 * @param credentials    per watched credential id
 * @param eventsIgnored  {@code secret-rotated} records that changed nothing: other credentials, other event types,
 *                       duplicates and versions older than the one held
 * @param eventsMalformed records that are not a valid {@code secret-rotated} event (skipped, logged in one line)
 * @param feedErrors     failed polls or broker checks of the Kafka feed
 * @param checks         times Vault's current versions were checked (start, assignment, recovery, periodic)
 */
public record ClientStats(Map<String, CredentialStats> credentials, long eventsIgnored, long eventsMalformed,
                          long feedErrors, long checks) {

    /**
     * One watched credential.
     *
     * @param version        the Vault version held
     * @param reloads        new versions taken since start (the first read not counted)
     * @param reloadFailures failed reads of a version
     * @param failing        whether a read is failing now (the client retries with backoff)
     */
    public record CredentialStats(long version, long reloads, long reloadFailures, boolean failing) {
    }
}
