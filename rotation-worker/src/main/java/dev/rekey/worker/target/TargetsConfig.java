package dev.rekey.worker.target;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the worker talks to downstream systems, whatever their type. */
@ConfigMapping(prefix = "rekey.worker.targets")
public interface TargetsConfig {

    /** TCP connect (and login) timeout towards a downstream system. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long the worker waits for one reply of a downstream system (a statement, a command, an HTTP call). */
    @WithDefault("10s")
    Duration requestTimeout();
}
