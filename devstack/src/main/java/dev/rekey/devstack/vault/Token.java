package dev.rekey.devstack.vault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service token as Vault's token store keeps it. Immutable: a renewal replaces it in the {@link TokenStore}.
 *
 * @param id              the token itself; never logged
 * @param policies        sanitised: lower case, sorted, {@code default} added unless asked otherwise
 * @param path            where it was created, e.g. {@code auth/approle/login}
 * @param meta            {@code null} when it has none (Vault answers {@code "meta": null})
 * @param parentId        {@code null} for an orphan
 * @param creationTtl     the TTL it was issued with; 0 = it never expires (root tokens)
 * @param explicitMaxTtl  0 = none
 * @param backendMaxTtl   the issuing role's {@code token_max_ttl}; 0 = the system maximum
 * @param expireTime      {@code null} when it never expires
 * @param lastRenewalTime {@code null} until renewed
 * @param appRole         the AppRole mount and role that issued it ({@code mount/role}), or {@code null}
 */
record Token(String id, String accessor, List<String> policies, String path, String displayName,
        Map<String, String> meta, String parentId, Instant creationTime, Duration creationTtl,
        Duration explicitMaxTtl, Duration backendMaxTtl, boolean renewable, Instant expireTime,
        Instant lastRenewalTime, String appRole) {

    Token {
        policies = List.copyOf(policies);
        meta = meta == null ? null : Map.copyOf(meta);
    }

    boolean isRoot() {
        return policies.contains(PolicyStore.ROOT);
    }

    boolean orphan() {
        return parentId == null;
    }

    boolean expiredAt(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }

    Token renewed(Instant now, Duration ttl) {
        return new Token(id, accessor, policies, path, displayName, meta, parentId, creationTime, creationTtl,
                explicitMaxTtl, backendMaxTtl, renewable, now.plus(ttl), now, appRole);
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "Token[accessor=" + accessor + ", policies=" + policies + ", path=" + path + "]";
    }
}
