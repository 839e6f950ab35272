package dev.rekey.events;

import java.util.Objects;

/** The owner of a credential, as far as an event consumer needs to know it. */
public record OwnerRef(String ownerId, String email) {

    public OwnerRef {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(email, "email");
    }
}
