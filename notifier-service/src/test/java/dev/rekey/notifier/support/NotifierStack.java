package dev.rekey.notifier.support;

import dev.rekey.devstack.testing.SharedStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * What every notifier test points the service at besides Kafka and PostgreSQL: the mailer goes through the
 * {@link SmtpRelay} in front of the shared SMTP capture (so tests can make SMTP fail), Vault is the shared dev
 * server, and the incident channel is a mailbox. Every test class uses the same resources, so Quarkus starts once.
 */
public class NotifierStack implements QuarkusTestResourceLifecycleManager {

    /** Where the incident commanders' mail goes in the tests. */
    public static final String INCIDENT_EMAIL = "incident-commanders@example.test";

    @Override
    public Map<String, String> start() {
        SmtpRelay relay = SmtpRelay.shared(SharedStack.smtpPort());
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(relay.port()),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.start-tls", "DISABLED",
                "vault.addr", SharedStack.vaultAddress(),
                "vault.token", SharedStack.vaultToken(),
                "notifier.incident.email", INCIDENT_EMAIL);
    }

    @Override
    public void stop() {
        // shared with every test class of this JVM
    }
}
