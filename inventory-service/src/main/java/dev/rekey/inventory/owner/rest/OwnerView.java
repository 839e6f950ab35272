package dev.rekey.inventory.owner.rest;

import dev.rekey.events.OwnerChanged;
import dev.rekey.inventory.owner.domain.Owner;

import java.time.Instant;

/** An owner as the API shows it; its channels are Vault paths, so every reader may see them. */
public record OwnerView(String id, String name, String email, OwnerChanged.Channels channels, Instant createdAt) {

    public static OwnerView of(Owner owner) {
        return new OwnerView(owner.id, owner.name, owner.email, owner.channels(), owner.createdAt);
    }
}
