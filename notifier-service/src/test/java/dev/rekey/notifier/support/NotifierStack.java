package dev.rekey.notifier.support;

import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.devstack.vault.VaultSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * What every notifier test points the service at besides Kafka and PostgreSQL: the mailer goes through the
 * {@link SmtpRelay} in front of the shared SMTP capture (so tests can make SMTP fail), Vault is the shared dev
 * server (AppRole, the notifier's real policy), and the incident channel is a mailbox. Every test class uses the same resources, so Quarkus starts once.
 */
public class NotifierStack implements QuarkusTestResourceLifecycleManager {

    /** Where the incident commanders' mail goes in the tests. */
    public static final String INCIDENT_EMAIL = "incident-commanders@example.test";
    private static VaultSetup.AppRoleLogin login;

    @Override
    public Map<String, String> start() {
        SmtpRelay relay = SmtpRelay.shared(SharedStack.smtpPort());
        // the notifier logs in as notifier-service with AppRole and the real policy of deploy/vault/policies
        VaultSetup.AppRoleLogin login = notifierLogin();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(relay.port()),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.start-tls", "DISABLED",
                "vault.addr", SharedStack.vaultAddress(),
                "vault.approle.role-id", login.roleId(),
                "vault.approle.secret-id", login.secretId(),
                "notifier.incident.email", INCIDENT_EMAIL);
    }

    /** The AppRole login of notifier-service on the shared Vault dev server (policies applied once per JVM). */
    public static synchronized VaultSetup.AppRoleLogin notifierLogin() {
        if (login == null) {
            login = VaultSetup.forVault(SharedStack.vaultAddress(), SharedStack.vaultToken()).apply()
                    .get("notifier-service");
        }
        return login;
    }

    @Override
    public void stop() {
        // shared with every test class of this JVM
    }
}
