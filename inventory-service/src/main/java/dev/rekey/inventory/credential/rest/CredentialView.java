package dev.rekey.inventory.credential.rest;

import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;

import java.time.Instant;
import java.util.List;

/**
 * A credential as the API shows it: where its secret lives and what it opens, never its value.
 *
 * @param ownerId null for an unowned (discovered) credential
 * @param version the KV v2 version of the current value, 0 until rekey rotated it
 */
public record CredentialView(String id, String name, String kind, String vaultMount, String vaultPath,
                             String username, String alternateUsername, String systemId, String ownerId,
                             List<String> tags, List<String> exposedVia, List<String> grantsAccessTo,
                             RotationPolicy rotationPolicy, Instant lastRotatedAt, long version,
                             CredentialStatus status, Instant createdAt) {

    /** How the credential is rotated. */
    public record RotationPolicy(int maxAgeDays, String generator, String strategy) {
    }

    public static CredentialView of(Credential c) {
        return new CredentialView(c.id, c.name, c.kind, c.vaultMount, c.vaultPath, c.username, c.alternateUsername,
                c.systemId, c.ownerId, c.tags, c.exposedVia, c.grantsAccessTo,
                new RotationPolicy(c.maxAgeDays, c.generator, c.strategy), c.lastRotatedAt, c.vaultVersion,
                c.status, c.createdAt);
    }
}
