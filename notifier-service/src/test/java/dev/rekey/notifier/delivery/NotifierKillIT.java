package dev.rekey.notifier.delivery;

import dev.rekey.devstack.Ports;
import dev.rekey.devstack.postgres.PostgresServer;
import dev.rekey.devstack.testing.SharedStack;
import dev.rekey.events.BreachReported;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.SecretRotated;
import dev.rekey.notifier.support.Mailbox;
import dev.rekey.notifier.support.SmtpRelay;
import dev.rekey.notifier.support.TopicPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.rekey.notifier.support.Campaigns.breach;
import static dev.rekey.notifier.support.Campaigns.rotated;
import static dev.rekey.notifier.support.Campaigns.share;
import static dev.rekey.notifier.support.Campaigns.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged notifier ({@code target/quarkus-app}) in two child processes against the devstack's servers in this
 * JVM. One is killed with SIGKILL while it holds claimed mail at the SMTP server's DATA command (so none of it was
 * accepted); the survivor takes the dead instance's claims over within seconds; the campaign finishes; a restarted
 * instance then sees every event again. Every owner ends with exactly one alert and one digest.
 */
class NotifierKillIT {

    private static final String DATABASE = "notifier_it";
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);
    private final List<Process> processes = new ArrayList<>();
    // its own consumer group: a notifier of another test in the same JVM must not take its partitions
    private final String group = "notifier-it-" + unique();

    // a killed instance leaves SMTP sessions half way: the capture server's threads complain, which is no failure
    @org.junit.jupiter.api.BeforeEach
    void ignoreOtherThreadsFailures() {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterEach
    void stopNotifiers() {
        processes.forEach(Process::destroyForcibly);
        SmtpRelay.shared().mode(SmtpRelay.Mode.PASS);
    }

    @Test
    void aKilledInstancesClaimsAreTakenOverWithinSecondsAndNoMailIsLostOrSentTwice() throws Exception {
        PostgresServer pg = SharedStack.postgres();
        pg.recreateDatabase(DATABASE);
        SmtpRelay relay = SmtpRelay.shared(SharedStack.smtpPort());
        Process a = start(pg, "a");
        Process b = start(pg, "b");

        String run = unique();
        List<OwnerRef> owners = IntStream.range(0, 10).mapToObj(i -> new OwnerRef("kill" + run + "-" + i,
                "kill" + run + "-" + i + "@example.test")).toList();
        UUID breachId = UUID.randomUUID();
        BreachReported reported = breach(breachId, "Kill -9 campaign", owners.stream().map(o -> share(o, 3)).toList());
        List<SecretRotated> outcomes = new ArrayList<>();
        owners.forEach(o -> IntStream.range(0, 3).forEach(c -> outcomes.add(rotated(breachId, o, o.ownerId() + "-" + c, 2))));

        relay.mode(SmtpRelay.Mode.HOLD_DATA);
        try (TopicPublisher publish = new TopicPublisher()) {
            publish.breachReported(reported);
            await().atMost(Duration.ofSeconds(60)).until(() -> relay.held() > 0 && !claimHolders(pg).isEmpty());
            Map<String, Long> holders = claimHolders(pg);
            Process victim = holders.containsKey(describe(a)) ? a : b;
            Process survivor = victim == a ? b : a;
            long claimedByVictim = holders.getOrDefault(describe(victim), 0L);
            Instant killedAt = Instant.now();
            victim.destroyForcibly().waitFor(); // SIGKILL
            relay.mode(SmtpRelay.Mode.PASS);

            await().atMost(Duration.ofSeconds(60)).until(() -> sent(pg, breachId, "breach-alert") == owners.size());
            Instant allAlertsSent = Instant.now();
            System.out.printf("%nKILL -9: the victim held %d claims; all %d alerts sent %d ms after the kill"
                            + " (claim timeout %d ms)%n", claimedByVictim, owners.size(),
                    Duration.between(killedAt, allAlertsSent).toMillis(), CLAIM_TIMEOUT.toMillis());
            assertThat(survivor.isAlive()).isTrue();

            publish.burst(() -> outcomes.forEach(publish::secretRotated));
            await().atMost(Duration.ofSeconds(60)).until(() -> sent(pg, breachId, "breach-digest") == owners.size());

            // a restarted instance, and every event once more
            start(pg, "a-restarted");
            publish.breachReported(reported);
            publish.burst(() -> outcomes.forEach(publish::secretRotated));
            Thread.sleep(8_000);
        }

        Set<String> messageIds = new HashSet<>();
        for (OwnerRef owner : owners) {
            Mailbox mailbox = new Mailbox(owner.email());
            assertThat(mailbox.reported()).as(owner.ownerId() + " alerts").hasSize(1);
            assertThat(mailbox.summaries()).as(owner.ownerId() + " digests").hasSize(1);
            assertThat(mailbox.all()).hasSize(2);
            mailbox.all().forEach(mail -> assertThat(messageIds.add(Mailbox.messageId(mail))).isTrue());
        }
    }

    private Process start(PostgresServer pg, String name) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged notifier (mvn package)").exists();
        int port = Ports.free();
        Path log = Path.of("target/it-logs/notifier-" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedStack.kafkaBootstrapServers());
        env.put("KAFKA_GROUP_ID", group);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.superuser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.superuserPassword());
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", String.valueOf(SmtpRelay.shared().port()));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // readiness is on the management interface, not the API port
        int managementPort = Ports.free();
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("VAULT_ADDR", SharedStack.vaultAddress());
        env.put("VAULT_APPROLE_ROLE_ID", dev.rekey.notifier.support.NotifierStack.notifierLogin().roleId());
        env.put("VAULT_APPROLE_SECRET_ID", dev.rekey.notifier.support.NotifierStack.notifierLogin().secretId());
        env.put("NOTIFIER_DELIVERY_CLAIM_TIMEOUT", CLAIM_TIMEOUT.toSeconds() + "s");
        env.put("NOTIFIER_DELIVERY_POLL_INTERVAL", "1s");
        Process process = builder.start();
        processes.add(process);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("notifier " + name + " is running (see " + log + ")").isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                                + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return process;
    }

    private static String describe(Process process) throws Exception {
        return process.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName();
    }

    /** Instance description to the number of deliveries it has claimed and not finished. */
    private static Map<String, Long> claimHolders(PostgresServer pg) throws Exception {
        Map<String, Long> holders = new HashMap<>();
        try (Connection db = pg.connect(DATABASE); PreparedStatement query = db.prepareStatement(
                "SELECT i.description, count(*) FROM deliveries d JOIN notifier_instances i ON i.id = d.claimed_by"
                        + " WHERE d.status = 'PENDING' GROUP BY i.description");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                holders.put(rows.getString(1), rows.getLong(2));
            }
        }
        return holders;
    }

    private static long sent(PostgresServer pg, UUID breachId, String kind) throws Exception {
        try (Connection db = pg.connect(DATABASE); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM deliveries WHERE breach_id = ? AND kind = ? AND status = 'SENT'")) {
            query.setObject(1, breachId);
            query.setString(2, kind);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
