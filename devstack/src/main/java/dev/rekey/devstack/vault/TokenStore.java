package dev.rekey.devstack.vault;

import dev.rekey.devstack.vault.VaultResponses.BadRequest;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vault's token store and the part of its expiration manager that concerns tokens: issuing, looking up (an expired or
 * revoked token is gone), renewing within the maximum TTL, revoking with all child tokens. TTLs follow Vault's
 * {@code framework.CalculateTTL}: whole seconds, the system default and maximum of a dev server (768h), a role's
 * {@code token_max_ttl} and a token's {@code explicit_max_ttl} as caps counted from the token's creation.
 */
final class TokenStore {

    /** {@code vault server -dev}'s default and maximum lease TTL (32 days). */
    static final Duration SYSTEM_TTL = Duration.ofHours(768);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();

    /** What to issue: everything but the ids and times. */
    record Spec(List<String> policies, String path, String displayName, Map<String, String> meta, String parentId,
            Duration ttl, Duration explicitMaxTtl, Duration backendMaxTtl, boolean renewable, String appRole) {
    }

    /** A TTL and the warnings Vault gives when it had to cap it. */
    record Ttl(Duration ttl, List<String> warnings) {
    }

    /** The root token of the dev server: policy {@code root}, no expiry, an orphan. */
    Token addRoot(String id) {
        Token root = new Token(id, randomId(24), List.of(PolicyStore.ROOT), "auth/token/root", "root", null, null,
                Instant.now(), Duration.ZERO, Duration.ZERO, Duration.ZERO, false, null, null, null);
        tokens.put(id, root);
        return root;
    }

    /** The live token with this id, or null when there is none, or it expired or was revoked. */
    Token lookup(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        Token token = tokens.get(id);
        if (token == null) {
            return null;
        }
        // An expired token is revoked with its children; a child whose parent is gone goes with it.
        if (token.expiredAt(Instant.now()) || (token.parentId() != null && lookup(token.parentId()) == null)) {
            revoke(token);
            return null;
        }
        return token;
    }

    /**
     * Issues a token. A TTL of zero is only for root-policy tokens, which never expire; otherwise the TTL defaults to
     * the system's and is capped by the maximum, as at login.
     */
    Issued issue(Spec spec) {
        Instant now = Instant.now();
        boolean root = spec.policies().contains(PolicyStore.ROOT);
        Ttl ttl = root && spec.ttl().isZero() && spec.explicitMaxTtl().isZero()
                ? new Ttl(Duration.ZERO, List.of())
                : ttl(Duration.ZERO, spec.ttl(), spec.backendMaxTtl(), spec.explicitMaxTtl(), now, now);
        String id = "hvs." + randomId(24);
        Token token = new Token(id, randomId(24), spec.policies(), spec.path(), spec.displayName(), spec.meta(),
                spec.parentId(), now, ttl.ttl(), spec.explicitMaxTtl(), spec.backendMaxTtl(),
                spec.renewable() && !ttl.ttl().isZero(), ttl.ttl().isZero() ? null : now.plus(ttl.ttl()), null,
                spec.appRole());
        tokens.put(id, token);
        return new Issued(token, ttl.warnings());
    }

    /** A token just issued or renewed, with the warnings of its TTL calculation. */
    record Issued(Token token, List<String> warnings) {
    }

    /**
     * Renews by {@code increment} (0 = the backend's TTL), never past the token's maximum.
     *
     * @param backendTtl    the TTL the issuer gives on renewal (an AppRole role's current {@code token_ttl})
     * @param backendMaxTtl the issuer's current maximum
     * @throws BadRequest as Vault refuses: not renewable, or past its max TTL
     */
    Issued renew(Token token, Duration increment, Duration backendTtl, Duration backendMaxTtl) {
        if (!token.renewable() || token.expireTime() == null) {
            throw new BadRequest("lease is not renewable");
        }
        Instant now = Instant.now();
        Ttl ttl = ttl(increment, backendTtl, backendMaxTtl, token.explicitMaxTtl(), token.creationTime(), now);
        Token renewed = token.renewed(now, ttl.ttl());
        if (tokens.replace(token.id(), token, renewed)) {
            return new Issued(renewed, ttl.warnings());
        }
        Token current = lookup(token.id());
        if (current == null) {
            throw new BadRequest("lease not found"); // revoked meanwhile
        }
        return renew(current, increment, backendTtl, backendMaxTtl);
    }

    /** Revokes the token and, recursively, every token created with it as parent. */
    void revoke(Token token) {
        if (tokens.remove(token.id()) == null) {
            return;
        }
        List<Token> children = new ArrayList<>();
        tokens.values().forEach(t -> {
            if (token.id().equals(t.parentId())) {
                children.add(t);
            }
        });
        children.forEach(this::revoke);
    }

    /**
     * Vault's {@code framework.CalculateTTL} without periods: the increment, else the backend TTL, else the system
     * default; capped so that the token does not outlive {@code start} plus its maximum TTL. Times are truncated to
     * whole seconds first, as Vault truncates them.
     */
    static Ttl ttl(Duration increment, Duration backendTtl, Duration backendMaxTtl, Duration explicitMaxTtl,
            Instant start, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        Instant begin = start.truncatedTo(ChronoUnit.SECONDS);
        Duration maxTtl = SYSTEM_TTL;
        if (backendMaxTtl.compareTo(Duration.ZERO) > 0 && backendMaxTtl.compareTo(maxTtl) < 0) {
            maxTtl = backendMaxTtl;
        }
        if (explicitMaxTtl.compareTo(Duration.ZERO) > 0 && explicitMaxTtl.compareTo(maxTtl) < 0) {
            maxTtl = explicitMaxTtl;
        }
        Duration ttl = increment.compareTo(Duration.ZERO) > 0 ? increment
                : backendTtl.compareTo(Duration.ZERO) > 0 ? backendTtl
                : SYSTEM_TTL;
        Duration maxValid = Duration.between(now, begin.plus(maxTtl));
        if (maxValid.compareTo(Duration.ZERO) <= 0) {
            throw new BadRequest("past the max TTL, cannot renew");
        }
        if (ttl.compareTo(maxValid) > 0) {
            String warning = String.format("TTL of \"%s\" exceeded the effective max_ttl of \"%s\"; TTL value is capped"
                    + " accordingly", GoFormats.duration(ttl.toSeconds()), GoFormats.duration(maxValid.toSeconds()));
            return new Ttl(maxValid, List.of(warning));
        }
        return new Ttl(ttl, List.of());
    }

    static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
