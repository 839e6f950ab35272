package dev.rekey.worker.target;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.worker.target.mariadb.MariaDbFixture;
import dev.rekey.worker.target.postgres.PostgresFixture;
import dev.rekey.worker.testing.KafkaIo;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alternating strategy through the whole worker (Kafka, Vault, the real server), for each database that has
 * it: a client that keeps logging in with whatever Vault holds (username and password of one version) sees no failed
 * login across ten rotations, and Vault's username switches between the two users each time.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class AlternatingLoginsTest {

    private static final int ROTATIONS = 10;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aClientLoggingInWithVaultsValueThroughoutNeverFails(String type) throws Exception {
        TargetFixture fixture = type.equals("mariadb") ? MariaDbFixture.shared() : PostgresFixture.shared();
        String adminPath = TestCredential.MOUNT + "/rekey/systems/alt-" + UUID.randomUUID();
        fixture.seedAdmin(adminPath);
        String firstValue = "First" + UUID.randomUUID().toString().replace("-", "");
        String first = fixture.createUser(fixture.plainName(), firstValue);
        String second = fixture.createUser(fixture.plainName(), "Second" + UUID.randomUUID().toString().replace("-", ""));
        String id = "cred-alt-" + UUID.randomUUID();
        String path = TestCredential.MOUNT + "/apps/" + id;
        try {
            TestVault.write(path, new HashMap<>(Map.of("username", first, "password", firstValue)));
            RotationDue.Target target = fixture.target(adminPath);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger logins = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        TestVault.Current now = TestVault.read(path);
                        if (fixture.logsIn(String.valueOf(now.data().get("username")),
                                String.valueOf(now.data().get("password")))) {
                            logins.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }, "alternating-client");
            client.start();
            Set<String> usernames = new HashSet<>();
            try {
                for (int i = 1; i <= ROTATIONS; i++) {
                    long before = TestVault.read(path).version();
                    RotationDue due = new RotationDue(UUID.randomUUID(), id, Cause.scheduled(),
                            new RotationDue.Credential(type + "-user", TestCredential.MOUNT, "apps/" + id, first,
                                    "sys-alt-" + type + "-" + id, second),
                            target, new RotationDue.Policy("password:32", "alternating"),
                            new OwnerRef("owner-1", "owner@example.test"), false, Instant.now());
                    KafkaIo.send(Topics.ROTATION_DUE, due.recordKey(), EventJson.encode(due));
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> TestVault.read(path).version() > before);
                    usernames.add(String.valueOf(TestVault.read(path).data().get("username")));
                    Thread.sleep(300); // a consumer reloads within this; the next rotation sets the user it left
                }
            } finally {
                running.set(false);
                client.join(10_000);
            }
            assertThat(usernames).containsExactlyInAnyOrder(first, second);
            assertThat(logins.get()).as("logins with Vault's value").isGreaterThan(ROTATIONS);
            assertThat(failed.get()).as("failed logins with Vault's value").isZero();
        } finally {
            fixture.dropUser(first);
            fixture.dropUser(second);
        }
    }
}
