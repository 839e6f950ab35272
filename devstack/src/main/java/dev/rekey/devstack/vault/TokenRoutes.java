package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rekey.devstack.vault.KvV2Routes.Operation;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static dev.rekey.devstack.vault.VaultResponses.envelope;

/**
 * The token auth method at {@code auth/token/}: {@code create}, {@code lookup-self}, {@code renew-self},
 * {@code revoke-self}, with the token store's rules: a child token's policies are a subset of its parent's unless the
 * parent is root or has {@code sudo} on {@code auth/token/create}; only root creates root tokens.
 */
final class TokenRoutes {

    private static final String MOUNT_TYPE = "token";
    private static final Set<String> UNSUPPORTED_CREATE_FIELDS = Set.of("id", "role_name", "period", "type",
            "entity_alias", "num_uses");

    /** The TTL and maximum the issuer of a token grants at renewal. */
    record RenewalLimits(Duration ttl, Duration maxTtl) {
    }

    private final TokenStore tokens;
    private final PolicyStore policies;
    private final Function<Token, RenewalLimits> issuerLimits;

    /**
     * @param issuerLimits for a token issued by an auth method (AppRole), its role's current limits; throws
     *                     {@link BadRequest} when the role is gone
     */
    TokenRoutes(TokenStore tokens, PolicyStore policies, Function<Token, RenewalLimits> issuerLimits) {
        this.tokens = tokens;
        this.policies = policies;
        this.issuerLimits = issuerLimits;
    }

    /** @param path below {@code auth/token/} */
    Reply handle(VaultRequest request, String path) {
        Operation operation = request.operation();
        return switch (path) {
            case "create" -> operation == Operation.UPDATE ? create(request) : KvV2Routes.unsupportedOperation();
            case "lookup-self" -> operation == Operation.READ || operation == Operation.UPDATE
                    ? Reply.ok(envelope(TokenJson.lookup(request.token(), Instant.now()), MOUNT_TYPE))
                    : KvV2Routes.unsupportedOperation();
            case "renew-self" -> operation == Operation.UPDATE ? renewSelf(request) : KvV2Routes.unsupportedOperation();
            case "revoke-self" -> {
                if (operation != Operation.UPDATE) {
                    yield KvV2Routes.unsupportedOperation();
                }
                tokens.revoke(request.token());
                yield Reply.noContent();
            }
            default -> KvV2Routes.unsupportedPath();
        };
    }

    private Reply renewSelf(VaultRequest request) {
        JsonNode increment = request.body().get("increment");
        Duration by = increment == null || increment.isNull() ? Duration.ZERO
                : AuthInputs.duration(increment, "increment");
        Token token = request.token();
        RenewalLimits limits = token.appRole() != null
                ? issuerLimits.apply(token)
                : new RenewalLimits(token.creationTtl(), token.backendMaxTtl());
        TokenStore.Issued renewed = tokens.renew(token, by, limits.ttl(), limits.maxTtl());
        Duration granted = Duration.between(renewed.token().lastRenewalTime(), renewed.token().expireTime());
        return Reply.ok(envelope(null, TokenJson.auth(renewed.token(), granted), renewed.warnings(), MOUNT_TYPE));
    }

    private Reply create(VaultRequest request) {
        JsonNode body = request.body();
        for (String field : UNSUPPORTED_CREATE_FIELDS) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull() && !value.asText().isEmpty() && !value.asText().equals("0")) {
                throw new BadRequest("\"" + field + "\" is not supported by the rekey dev server");
            }
        }
        Token parent = request.token();
        boolean privileged = parent.isRoot() || request.sudo();
        boolean noDefault = body.has("no_default_policy") && KvInputs.bool(body.get("no_default_policy"),
                "no_default_policy");
        List<String> requested = body.has("policies") ? AuthInputs.strings(body.get("policies"), "policies")
                : List.of();
        List<String> chosen = requested.isEmpty() ? parent.policies() : requested;
        List<String> finalPolicies = AuthInputs.sanitisePolicies(chosen, !noDefault);
        List<String> withoutDefault = AuthInputs.sanitisePolicies(chosen, false);
        if (!privileged && !parent.policies().containsAll(withoutDefault)) {
            throw new BadRequest("child policies must be subset of parent");
        }
        if (finalPolicies.contains(PolicyStore.ROOT) && !parent.isRoot()) {
            throw new BadRequest("root tokens may not be created without parent token being root");
        }
        boolean noParent = privileged && body.has("no_parent") && KvInputs.bool(body.get("no_parent"), "no_parent");
        boolean renewable = !body.has("renewable") || KvInputs.bool(body.get("renewable"), "renewable");
        JsonNode ttlField = body.hasNonNull("ttl") ? body.get("ttl") : body.get("lease");
        Duration ttl = ttlField == null || ttlField.isNull() ? Duration.ZERO : AuthInputs.duration(ttlField, "ttl");
        Duration explicitMax = body.hasNonNull("explicit_max_ttl")
                ? AuthInputs.duration(body.get("explicit_max_ttl"), "explicit_max_ttl")
                : Duration.ZERO;
        Map<String, String> meta = meta(body.get("meta"));
        String displayName = body.hasNonNull("display_name") && !body.get("display_name").asText().isBlank()
                ? "token-" + body.get("display_name").asText().trim().toLowerCase().replaceAll("[^a-z0-9]+", "-")
                : "token";
        TokenStore.Issued issued = tokens.issue(new TokenStore.Spec(finalPolicies, "auth/token/create", displayName,
                meta, noParent ? null : parent.id(), ttl, explicitMax, Duration.ZERO, renewable, null));
        List<String> warnings = new ArrayList<>(issued.warnings());
        for (String policy : finalPolicies) {
            if (!policies.exists(policy)) {
                warnings.add("Policy \"" + policy + "\" does not exist");
            }
        }
        return Reply.ok(envelope(null, TokenJson.auth(issued.token(), issued.token().creationTtl()), warnings,
                MOUNT_TYPE));
    }

    private static Map<String, String> meta(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadRequest(VaultResponses.multiError(List.of(
                    "'meta' expected a map, got '" + node.getNodeType().name().toLowerCase() + "'")));
        }
        Map<String, String> meta = new HashMap<>();
        node.properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
        return meta;
    }
}
