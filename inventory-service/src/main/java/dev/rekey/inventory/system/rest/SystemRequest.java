package dev.rekey.inventory.system.rest;

import dev.rekey.events.Ids;
import dev.rekey.events.TargetSettings;
import dev.rekey.inventory.api.VaultPaths;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /systems} and {@code PUT /systems/{id}} (where {@code id} may be left out).
 *
 * @param adminSecretPath        {@code mount/path} of the Vault secret with this system's admin login
 * @param maxConcurrentRotations default 4
 * @param settings               what only some types take: {@code managementPort} and {@code tls} (rabbitmq),
 *                               {@code tls}, {@code set}, {@code test}, {@code revoke} (http; set and test required)
 */
public record SystemRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
        @NotNull @Pattern(regexp = "postgresql|mariadb|redis|rabbitmq|http|vault-kv",
                message = "must be one of postgresql, mariadb, redis, rabbitmq, http, vault-kv") String type,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9.:\\[\\]_-]{1,253}", message = "must be a host name or address")
        String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must be a database name") String database,
        @NotBlank @Size(max = 500) @Pattern(regexp = VaultPaths.MOUNT_AND_PATH, message = VaultPaths.MOUNT_AND_PATH_MESSAGE)
        String adminSecretPath,
        @Min(1) @Max(1000) Integer maxConcurrentRotations,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String> tags,
        TargetSettings settings) {
}
