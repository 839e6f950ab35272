package dev.rekey.worker.rotation;

import dev.rekey.devstack.vault.VaultDevServer;
import dev.rekey.events.Cause;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.config.WorkerConfig;
import dev.rekey.worker.secret.PasswordGenerator;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.testing.TestTarget;
import dev.rekey.worker.vault.PendingStore;
import dev.rekey.worker.vault.SecretPath;
import dev.rekey.worker.vault.SecretStore;
import dev.rekey.worker.vault.SecretVersion;
import dev.rekey.worker.vault.VaultHttp;
import dev.rekey.worker.vault.VaultSettings;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The rotation protocol wired by hand (its constructors are its wiring), against a private Vault dev server whose
 * failures a test injects, and a {@link TestTarget}: for paths that need an exact fault at an exact step.
 */
final class PlainProtocol implements AutoCloseable {

    static final String TOKEN = "plain-protocol-token";

    final VaultDevServer vault = VaultDevServer.start(0, TOKEN);
    final TestTarget target = new TestTarget();
    final SecretStore secrets;
    final LeaseKeeper leases;
    final RotationProtocol protocol;
    /** Runs at each step before it starts; a test adds what it needs (a fault, a check of the invariant). */
    final List<BiConsumer<Step, RotationDue>> onStep = new CopyOnWriteArrayList<>();

    PlainProtocol() {
        SmallRyeConfig config = config(Map.of(
                        "vault.addr", vault.address(),
                        "vault.token", TOKEN,
                        "vault.request-timeout", "2s",
                        "rekey.worker.lease.duration", "3s",
                        "rekey.worker.lease.renew-every", "1s",
                        "rekey.worker.lease.min-remaining", "1500ms",
                        "rekey.worker.retry.quick-delay", "20ms",
                        // the breach scramble in the committing pass, where the crash points can reach it
                        "rekey.worker.breach-switch-grace", "0s"));
        WorkerConfig worker = config.getConfigMapping(WorkerConfig.class);
        VaultSettings vaultSettings = config.getConfigMapping(VaultSettings.class);
        VaultHttp http = new VaultHttp(vaultSettings, () -> TOKEN);
        secrets = new SecretStore(http);
        PendingStore pendings = new PendingStore(http);
        leases = new LeaseKeeper(pendings, worker);
        SystemReachability reachability = new SystemReachability(worker);
        StepListener steps = (step, due) -> onStep.forEach(listener -> listener.accept(step, due));
        RotationPass pass = new RotationPass(secrets, pendings, new RotationRecords(secrets), leases,
                new DownstreamCalls(reachability, worker), reachability, new PasswordGenerator(), steps, worker);
        protocol = new RotationProtocol(pass, List.<RotationTarget>of(target), worker);
    }

    /** The worker's configuration mappings with these values over their defaults (durations as Quarkus reads them). */
    static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                .withMapping(VaultSettings.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values)
                .build();
    }

    RotationOutcome rotate(RotationDue due) {
        return protocol.rotate(due, System.nanoTime());
    }

    /** A credential: a test-target user with a password, and its secret in Vault ({@code username}, {@code password}). */
    Credential credential(String system) {
        String user = "app_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Init" + UUID.randomUUID().toString().replace("-", "");
        target.createUser(system, user, password);
        SecretPath path = new SecretPath("secret", "plain/" + UUID.randomUUID());
        var data = VaultHttp.object();
        data.put("username", user);
        data.put("password", password);
        secrets.write(path, data, 0);
        return new Credential(system, user, password, path);
    }

    record Credential(String system, String user, String initialPassword, SecretPath path) {

        RotationDue due(UUID rotationId) {
            return due(rotationId, "password:32", "in-place", null, TestTarget.TYPE, null);
        }

        RotationDue due(UUID rotationId, String policy, String strategy, String alternate, String type,
                        String database) {
            return new RotationDue(rotationId, "cred-" + path.path().substring(6), Cause.manual(),
                    new RotationDue.Credential("test", path.mount(), path.path(), user, system, alternate),
                    new RotationDue.Target(type, "test.invalid", 1, database, "secret/none", 4),
                    new RotationDue.Policy(policy, strategy), new OwnerRef("owner-1", "owner@example.test"), false,
                    Instant.now());
        }
    }

    SecretVersion current(Credential credential) {
        return secrets.readCurrent(credential.path()).orElseThrow();
    }

    /** The live pending record's value, or null. */
    String pendingValue(Credential credential) {
        return secrets.readCurrent(credential.path().pending())
                .map(pending -> pending.field("password")).orElse(null);
    }

    /** The invariant: the downstream holds Vault's current value or the live pending value. */
    boolean invariantHolds(Credential credential) {
        String held = target.passwordOf(credential.system(), credential.user());
        return held.equals(current(credential).field("password")) || held.equals(pendingValue(credential));
    }

    @Override
    public void close() {
        leases.stop();
        vault.close();
    }
}
