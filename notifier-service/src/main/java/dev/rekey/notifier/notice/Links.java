package dev.rekey.notifier.notice;

import java.util.Optional;

/**
 * How a message points at the inventory's API: a full URL when the notifier knows where the inventory is, else the
 * path alone. Only endpoints that exist are ever named (AdvertisedEndpointsTest checks the templates against the
 * inventory's resources).
 */
public record Links(Optional<String> inventoryUrl) {

    /** {@code path} on the inventory, e.g. {@code /api/v1/credentials/db-1}. */
    public String api(String path) {
        return inventoryUrl.map(base -> base.replaceAll("/+$", "") + path).orElse(path);
    }
}
