package dev.rekey.inventory.system.rest;

import dev.rekey.inventory.api.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /systems}.
 *
 * @param adminSecretPath        {@code mount/path} of the Vault secret with this system's admin login
 * @param maxConcurrentRotations default 4
 */
public record SystemRequest(
        @NotBlank @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String id,
        @NotNull @Pattern(regexp = "postgresql|mariadb|redis|rabbitmq|http|vault-kv",
                message = "must be one of postgresql, mariadb, redis, rabbitmq, http, vault-kv") String type,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9.:\\[\\]_-]{1,253}", message = "must be a host name or address")
        String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must be a database name") String database,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+", message = "must be mount/path")
        String adminSecretPath,
        @Min(1) @Max(1000) Integer maxConcurrentRotations,
        @Size(max = 50) List<@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String> tags) {
}
