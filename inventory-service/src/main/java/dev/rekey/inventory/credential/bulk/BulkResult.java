package dev.rekey.inventory.credential.bulk;

/**
 * The answer to an accepted bulk import.
 *
 * @param imported how many credentials were registered, all in one transaction
 */
public record BulkResult(int imported) {
}
