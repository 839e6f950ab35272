package dev.rekey.inventory.credential.rest;

import dev.rekey.inventory.campaign.ManualRotation;

import java.util.UUID;

/** The answer to a manual rotation: the rotation id its {@code secret-rotated} or {@code rotation-failed} carries. */
public record RotationRequestedView(String credentialId, UUID rotationId, String cause) {

    static RotationRequestedView of(ManualRotation.Requested requested) {
        return new RotationRequestedView(requested.credentialId(), requested.rotationId(), "MANUAL");
    }
}
