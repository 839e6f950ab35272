package dev.rekey.inventory.discovery;

import dev.rekey.inventory.api.VaultPaths;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /systems/{id}/discover}.
 *
 * @param mount  the KV v2 mount to list, e.g. {@code secret}
 * @param prefix the folder below the mount, e.g. {@code apps/} (empty or absent: the whole mount)
 */
public record DiscoveryRequest(
        @NotBlank @Pattern(regexp = VaultPaths.MOUNT, message = "must be a mount name") String mount,
        @Size(max = 500) @Pattern(regexp = VaultPaths.FOLDER, message = "must be a folder path ending in /")
        String prefix) {

    String folder() {
        return prefix == null ? "" : prefix;
    }
}
