package dev.rekey.inventory.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.json.JsonString;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;
import java.util.stream.Collectors;

/** The {@link Caller} of the current request, from its verified token and its request id. */
@ApplicationScoped
public class Callers {

    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;
    private final Config config;

    Callers(SecurityIdentity identity, CurrentVertxRequest request, Config config) {
        this.identity = identity;
        this.request = request;
        this.config = config;
    }

    /** The caller of the request being served; its roles were already checked. */
    public Caller current() {
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(config.ownerClaim()) : null;
        String subject = claim instanceof JsonString text ? text.getString()
                : claim != null ? claim.toString() : identity.getPrincipal().getName();
        Set<String> roles = Roles.ALL.stream().filter(identity::hasRole).collect(Collectors.toSet());
        return new Caller(subject, roles, RequestIds.of(request.getCurrent()));
    }

    /** Who callers are. */
    @ConfigMapping(prefix = "rekey.security")
    public interface Config {

        /** The token claim that holds an owner's id ({@code REKEY_SECURITY_OWNER_CLAIM}), e.g. {@code preferred_username}. */
        @WithDefault("sub")
        String ownerClaim();
    }
}
