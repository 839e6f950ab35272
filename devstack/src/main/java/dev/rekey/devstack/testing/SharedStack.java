package dev.rekey.devstack.testing;

import dev.rekey.devstack.kafka.KafkaBroker;
import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.smtp.SmtpCapture;
import dev.rekey.devstack.vault.VaultDevServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The devstack's servers for one test JVM, each started once on first use and stopped when the JVM exits, so that
 * every {@code @QuarkusTest} class of a module shares them (tests keep apart by using their own ids).
 *
 * <p>Coordinates are kept in system properties rather than static fields: Quarkus may load this class in more than
 * one class loader, and a second copy must find the servers that the first one started.
 */
public final class SharedStack {

    public static final String KAFKA_BOOTSTRAP = "rekey.devstack.kafka.bootstrap";
    public static final String PG_URL = "rekey.devstack.pg.url";
    public static final String VAULT_ADDR = "rekey.devstack.vault.addr";
    public static final String VAULT_TOKEN = "rekey.devstack.vault.token";
    public static final String SMTP_HOST = "rekey.devstack.smtp.host";
    public static final String SMTP_PORT = "rekey.devstack.smtp.port";
    public static final String MAIL_DIR = "rekey.devstack.smtp.maildir";

    /** Partitions of each rekey topic in tests: enough for concurrent consumers, few enough to start fast. */
    public static final int TEST_PARTITIONS = 4;

    private SharedStack() {
    }

    /** Bootstrap servers of the shared Kafka broker, with every rekey topic created. */
    public static synchronized String kafkaBootstrapServers() {
        return System.getProperties().computeIfAbsent(KAFKA_BOOTSTRAP, k -> {
            try {
                KafkaBroker broker = KafkaBroker.startTemporary();
                broker.createRekeyTopics(TEST_PARTITIONS);
                onExit(() -> {
                    broker.close();
                    broker.deleteData();
                });
                return broker.bootstrapServers();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the devstack Kafka broker", e);
            }
        }).toString();
    }

    /** The shared PostgreSQL server: {@code REKEY_TEST_PG_URL} when set, else an embedded one. */
    public static synchronized PostgresServer postgres() {
        String url = System.getProperties().computeIfAbsent(PG_URL, k -> {
            try {
                PostgresServer server = PostgresServer.fromEnvironmentOrEmbedded();
                onExit(server::close);
                return server.superuserUrl(server.defaultDatabase());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the devstack PostgreSQL", e);
            }
        }).toString();
        return PostgresServer.external(url);
    }

    /** Address of the shared Vault dev server. */
    public static synchronized String vaultAddress() {
        startVault();
        return System.getProperty(VAULT_ADDR);
    }

    /** Root token of the shared Vault dev server. */
    public static synchronized String vaultToken() {
        startVault();
        return System.getProperty(VAULT_TOKEN);
    }

    private static void startVault() {
        if (System.getProperty(VAULT_ADDR) == null) {
            VaultDevServer vault = VaultDevServer.start(0, "devstack-root-token");
            onExit(vault::close);
            System.setProperty(VAULT_TOKEN, vault.rootToken());
            System.setProperty(VAULT_ADDR, vault.address());
        }
    }

    /** Port of the shared SMTP capture server on 127.0.0.1. */
    public static synchronized int smtpPort() {
        startSmtp();
        return Integer.parseInt(System.getProperty(SMTP_PORT));
    }

    /** Where the shared SMTP capture server writes each delivered message. */
    public static synchronized Path mailDir() {
        startSmtp();
        return Path.of(System.getProperty(MAIL_DIR));
    }

    /** Every message captured so far. */
    public static List<SmtpCapture.CapturedMail> mail() {
        return SmtpCapture.read(mailDir());
    }

    private static void startSmtp() {
        if (System.getProperty(SMTP_PORT) == null) {
            try {
                SmtpCapture smtp = SmtpCapture.start(0, Files.createTempDirectory("rekey-mail-"));
                onExit(smtp::close);
                System.setProperty(SMTP_HOST, smtp.host());
                System.setProperty(MAIL_DIR, smtp.mailDir().toString());
                System.setProperty(SMTP_PORT, String.valueOf(smtp.port()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the devstack SMTP capture", e);
            }
        }
    }

    private interface Closer {
        void close() throws Exception;
    }

    private static void onExit(Closer closer) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closer.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing is left to clean up for
            }
        }, "devstack-shutdown"));
    }
}
