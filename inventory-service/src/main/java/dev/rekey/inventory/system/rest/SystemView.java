package dev.rekey.inventory.system.rest;

import dev.rekey.events.TargetSettings;
import dev.rekey.inventory.system.domain.DownstreamSystem;

import java.time.Instant;
import java.util.List;

/** A downstream system as the API shows it. */
public record SystemView(String id, String type, String host, int port, String database, String adminSecretPath,
                         int maxConcurrentRotations, List<String> tags, TargetSettings settings, Instant createdAt) {

    public static SystemView of(DownstreamSystem system) {
        return new SystemView(system.id, system.type, system.host, system.port, system.database,
                system.adminSecretPath, system.maxConcurrentRotations, system.tags,
                system.settings == null ? TargetSettings.NONE : system.settings, system.createdAt);
    }
}
