package dev.rekey.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the rotation worker retries, verifies and waits. */
@ConfigMapping(prefix = "rekey.worker")
public interface WorkerConfig {

    /** Bounded retries of a whole rotation after transient errors (Vault 5xx, downstream unreachable). */
    Retry retry();

    /** How a new value is checked against the downstream after it was set. */
    LoginCheck loginCheck();

    /**
     * How long another rotation's pending record is considered in progress; a rotation of the same credential waits
     * at most this long before it takes the record over.
     */
    @WithDefault("15s")
    Duration pendingLease();

    /** Connections to downstream PostgreSQL servers. */
    Postgres postgres();

    /** Bounded exponential backoff. */
    interface Retry {

        /** Attempts of one rotation in total, the first one included. */
        @WithDefault("3")
        int attempts();

        /** Delay before the second attempt; it doubles for each further attempt. */
        @WithDefault("200ms")
        Duration baseDelay();

        /** Upper bound of one delay. */
        @WithDefault("5s")
        Duration maxDelay();
    }

    /** Retries of the login test: propagation to replicas or poolers can lag behind the set step. */
    interface LoginCheck {

        /** Logins tried with the new value before it is declared not working. */
        @WithDefault("3")
        int attempts();

        /** Pause between two logins. */
        @WithDefault("100ms")
        Duration interval();
    }

    /** JDBC settings for admin connections and login tests. */
    interface Postgres {

        /** TCP connect timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Timeout of one statement's reply. */
        @WithDefault("10s")
        Duration socketTimeout();
    }
}
