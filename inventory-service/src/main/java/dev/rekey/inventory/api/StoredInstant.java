package dev.rekey.inventory.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Instants at the precision PostgreSQL stores ({@code timestamptz}: microseconds), so that the response to a create
 * shows the same time as every later read.
 */
public final class StoredInstant {

    private StoredInstant() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
