package dev.rekey.worker.target;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.PasswordGenerator;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.http.HttpApiKeyTarget;
import dev.rekey.worker.target.http.HttpFixture;
import dev.rekey.worker.target.mariadb.MariaDbFixture;
import dev.rekey.worker.target.mariadb.MariaDbUserTarget;
import dev.rekey.worker.target.postgres.PostgresRoleTarget;
import dev.rekey.worker.target.rabbitmq.RabbitMqFixture;
import dev.rekey.worker.target.rabbitmq.RabbitMqUserTarget;
import dev.rekey.worker.target.redis.RedisAclTarget;
import dev.rekey.worker.target.redis.RedisFixture;
import dev.rekey.worker.target.vaultkv.VaultKvTarget;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throughput floor of each target kind: the downstream work of one rotation (generate, set, log in with the new
 * value; with {@code -Drekey.bench.vault=true} also the worker's six Vault calls: read, pending read and write, rotation
 * record, check-and-set commit, tombstone) done directly, without Kafka or the protocol, at a few concurrency levels. Prints
 * rotations per second; asserts only that every new value logged in. Not part of the default run:
 * <pre>
 * ./mvnw -B -o -pl rotation-worker -am verify -Dtest=TargetThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Drekey.bench=true [-Drekey.bench.rotations=300] [-Drekey.bench.concurrency=1,4,16] [-Drekey.bench.vault=true] \
 *     [-Drekey.bench.targets=postgresql,redis]
 * </pre>
 * PostgreSQL is devstack's embedded server (the one {@code ./rekey} uses, without statement logging); the others
 * are the machine's servers, as in the target tests.
 */
@QuarkusTest
@Tag("benchmark")
@EnabledIfSystemProperty(named = "rekey.bench", matches = "true")
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class TargetThroughputBenchmark {

    @Inject
    dev.rekey.worker.vault.PendingStore pendings;
    @Inject
    PostgresRoleTarget postgres;
    @Inject
    MariaDbUserTarget mariadb;
    @Inject
    RedisAclTarget redis;
    @Inject
    RabbitMqUserTarget rabbitmq;
    @Inject
    HttpApiKeyTarget http;
    @Inject
    VaultKvTarget vaultKv;
    @Inject
    SecretStore store;

    private final PasswordGenerator generator = new PasswordGenerator();
    private final int rotations = Integer.getInteger("rekey.bench.rotations", 300);
    private final boolean withVault = Boolean.getBoolean("rekey.bench.vault");
    private final List<Integer> levels = List.of(System.getProperty("rekey.bench.concurrency", "1,4,16").split(","))
            .stream().map(String::trim).map(Integer::parseInt).toList();
    private final List<String> kinds = List.of(System.getProperty("rekey.bench.targets",
            "postgresql,mariadb,redis,rabbitmq,http,vault-kv").split(","));

    @Test
    void floorOfEachTargetKind() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String kind : kinds) {
            for (int concurrency : levels) {
                lines.add(run(kind.trim(), concurrency));
            }
        }
        System.out.println("\n== target floor (" + (withVault ? "set + login + Vault" : "set + login") + ", "
                + rotations + " rotations per run, " + Runtime.getRuntime().availableProcessors() + " cores)");
        lines.forEach(System.out::println);
    }

    private String run(String kind, int concurrency) throws Exception {
        Setup setup = setup(kind, concurrency);
        try {
            warmUp(setup, concurrency);
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < rotations; ) {
                        rotate(setup, setup.users.get(i % setup.users.size()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            return print(String.format(Locale.ROOT, "floor target=%-10s concurrency=%-3d rotations=%d seconds=%.2f rate=%.1f/s",
                    kind, concurrency, rotations, seconds, rotations / seconds));
        } finally {
            setup.cleanup.run();
        }
    }

    private static String print(String line) {
        System.out.println(line);
        return line;
    }

    private void warmUp(Setup setup, int concurrency) throws Exception {
        for (int i = 0; i < Math.min(setup.users.size(), concurrency + 2); i++) {
            rotate(setup, setup.users.get(i));
        }
    }

    private void rotate(Setup setup, String user) throws Exception {
        SecretPath path = new SecretPath(TestCredential.MOUNT, "bench/" + setup.due.credential().systemId() + "/"
                + Integer.toHexString(user.hashCode()));
        SecretValue value = generator.generate("password:32");
        long version = 0;
        String rotationId = UUID.randomUUID().toString();
        dev.rekey.worker.vault.PendingSlot slot = null;
        java.util.Optional<dev.rekey.worker.vault.PendingRecord> record = java.util.Optional.empty();
        if (withVault) {
            // the worker's Vault work, through its own clients: dedupe read, pending path read, write-ahead record
            version = store.readCurrent(path).map(SecretVersion::version).orElse(0L);
            slot = pendings.read(path);
            record = pendings.write(path, new dev.rekey.worker.vault.PendingRecord(rotationId, user, value, version,
                    "bench", Instant.now().plusSeconds(20), 0), slot.version());
        }
        setup.target.apply(setup.due, user, value);
        assertThat(setup.target.logsIn(setup.due, user, value)).as("the new value of " + user).isTrue();
        if (withVault) {
            // rotation record, check-and-set commit, tombstone over the pending record
            var data = dev.rekey.worker.vault.VaultHttp.object();
            data.put("username", user);
            data.put("password", value.reveal());
            data.put("rotation_id", rotationId);
            store.write(path, data, version);
            store.mergeCustomMetadata(path, Map.of("rekey_r_" + rotationId, Long.toString(version + 1)));
            record.ifPresent(r -> pendings.tombstone(path, r.version(), rotationId, 0));
        }
    }

    private record Setup(RotationTarget target, RotationDue due, List<String> users, Runnable cleanup) {
    }

    private Setup setup(String kind, int concurrency) throws Exception {
        String adminPath = TestCredential.MOUNT + "/rekey/systems/bench-" + kind + "-" + UUID.randomUUID();
        int userCount = Math.max(concurrency * 4, 32);
        List<String> users = new ArrayList<>();
        switch (kind) {
            case "postgresql" -> {
                TestVault.write(adminPath, new HashMap<>(Map.of("username", Downstream.server().superuser(),
                        "password", Downstream.server().superuserPassword())));
                for (int i = 0; i < userCount; i++) {
                    users.add(Downstream.createRole("Init" + UUID.randomUUID().toString().replace("-", "")));
                }
                RotationDue.Target target = new RotationDue.Target("postgresql", Downstream.server().host(),
                        Downstream.server().port(), Downstream.server().defaultDatabase(), adminPath, concurrency);
                return new Setup(postgres, due(target, users.get(0)), users, () -> { }); // the server goes with the JVM
            }
            case "vault-kv" -> {
                for (int i = 0; i < userCount; i++) {
                    users.add("kv-" + i);
                }
                RotationDue.Target target = new RotationDue.Target("vault-kv", "vault", 0, null, adminPath, concurrency);
                return new Setup(vaultKv, due(target, users.get(0)), users, () -> { });
            }
            default -> {
                TargetFixture fixture = switch (kind) {
                    case "mariadb" -> MariaDbFixture.shared();
                    case "redis" -> RedisFixture.shared();
                    case "rabbitmq" -> RabbitMqFixture.shared();
                    case "http" -> new HttpFixture(false);
                    default -> throw new IllegalArgumentException("unknown target kind " + kind);
                };
                RotationTarget target = switch (kind) {
                    case "mariadb" -> mariadb;
                    case "redis" -> redis;
                    case "rabbitmq" -> rabbitmq;
                    default -> http;
                };
                fixture.seedAdmin(adminPath);
                for (int i = 0; i < userCount; i++) {
                    users.add(fixture.createUser(fixture.plainName(), "Init" + UUID.randomUUID()));
                }
                RotationDue.Target base = fixture.target(adminPath);
                RotationDue.Target bounded = new RotationDue.Target(base.type(), base.host(), base.port(),
                        base.database(), adminPath, concurrency, base.settings());
                return new Setup(target, due(bounded, users.get(0)), users, () -> {
                    for (String user : users) {
                        try {
                            fixture.dropUser(user);
                        } catch (Exception ignored) {
                            // best effort
                        }
                    }
                });
            }
        }
    }

    private static RotationDue due(RotationDue.Target target, String user) {
        String id = "bench-" + UUID.randomUUID();
        return new RotationDue(UUID.randomUUID(), id, Cause.scheduled(),
                new RotationDue.Credential(target.type() + "-user", TestCredential.MOUNT, "bench/" + id, user,
                        "bench-" + target.type() + "-" + UUID.randomUUID()),
                target, new RotationDue.Policy("password:32", "in-place"), new OwnerRef("bench", "bench@example.test"),
                false, Instant.now());
    }
}
