package dev.rekey.inventory.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the outbox relay drains the outbox table into Kafka. */
@ConfigMapping(prefix = "rekey.outbox")
public interface OutboxConfig {

    /** Rows sent per transaction; a batch is deleted only when the broker acknowledged all of it. */
    @WithDefault("500")
    int batchSize();

    /** How often the safety-net timer drains the outbox, besides the drain right after each breach commits. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a batch may wait for the broker's acknowledgements before it is rolled back and retried. */
    @WithDefault("30s")
    Duration sendTimeout();
}
