package dev.rekey.notifier.owner;

import dev.rekey.events.EventJson;
import dev.rekey.events.Ids;
import dev.rekey.events.MalformedEventException;
import dev.rekey.events.OwnerChanged;

/**
 * One record of {@code rekey.owners}: the owner's latest state, or a tombstone (null value) when it was deleted.
 *
 * @param state null for a tombstone
 */
public record OwnerChange(String ownerId, OwnerChanged state) {

    public boolean deleted() {
        return state == null;
    }

    /**
     * Reads a record of the compacted topic.
     *
     * @throws MalformedEventException when the key is not an owner id, the value is not an {@code OwnerChanged}, or
     *                                 the two disagree about the owner
     */
    public static OwnerChange of(String key, String value) {
        if (!Ids.isValid(key)) {
            throw new MalformedEventException("rekey.owners record key is not an owner id (" + Ids.MESSAGE + ")", null);
        }
        if (value == null) {
            return new OwnerChange(key, null);
        }
        OwnerChanged owner = EventJson.decode(value, OwnerChanged.class);
        if (!owner.ownerId().equals(key)) {
            throw new MalformedEventException("rekey.owners record key and ownerId differ", null);
        }
        return new OwnerChange(key, owner);
    }
}
