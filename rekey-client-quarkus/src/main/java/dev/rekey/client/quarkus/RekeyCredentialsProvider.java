package dev.rekey.client.quarkus;

import dev.rekey.client.Credential;
import dev.rekey.client.RekeyClient;
import io.quarkus.credentials.CredentialsProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Map;

/**
 * The current value of a rekey credential for every new connection of a datasource. Agroal (JDBC) and the reactive
 * clients ask a credentials provider each time they open a connection, so a rotated value is used from the next
 * connection on:
 *
 * <pre>
 * quarkus.datasource.credentials-provider=orders-db        # the rekey credential id
 * quarkus.datasource.credentials-provider-name=rekey       # this bean
 * </pre>
 *
 * The value is in memory (the client keeps it current), so asking never blocks.
 */
@ApplicationScoped
@Named(RekeyCredentialsProvider.NAME)
public class RekeyCredentialsProvider implements CredentialsProvider {

    /** The bean name to give as {@code credentials-provider-name}. */
    public static final String NAME = "rekey";

    private final RekeyClient client;

    public RekeyCredentialsProvider(RekeyClient client) {
        this.client = client;
    }

    @Override
    public Map<String, String> getCredentials(String credentialId) {
        Credential credential = client.current(credentialId);
        return Map.of(USER_PROPERTY_NAME, credential.username(), PASSWORD_PROPERTY_NAME, credential.secret().reveal());
    }

    @Override
    public Uni<Map<String, String>> getCredentialsAsync(String credentialId) {
        return Uni.createFrom().item(() -> getCredentials(credentialId));
    }
}
