package dev.rekey.worker.testing;

import dev.rekey.events.Cause;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A credential set up for one test: a real PostgreSQL role, its secret in Vault ({@code secret/apps/<id>/db}, with an
 * extra field and custom metadata that rotation must preserve) and its system's admin secret.
 */
public record TestCredential(String id, String role, String initialPassword, String systemId, String vaultPath,
                             RotationDue.Target target) {

    public static final String MOUNT = "secret";

    /** A credential on a new system whose admin login is the devstack superuser. */
    public static TestCredential create(int maxConcurrentRotations) throws Exception {
        String systemId = "pg-" + UUID.randomUUID();
        seedAdmin(systemId, Downstream.server().superuser(), Downstream.server().superuserPassword());
        return create(systemId, maxConcurrentRotations);
    }

    /** A credential on {@code systemId}, whose admin secret the caller has written. */
    public static TestCredential create(String systemId, int maxConcurrentRotations) throws Exception {
        String id = "cred-" + UUID.randomUUID();
        String password = "Init" + UUID.randomUUID().toString().replace("-", "");
        String role = Downstream.createRole(password);
        String vaultPath = "apps/" + id + "/db";
        TestVault.write(MOUNT + "/" + vaultPath, new HashMap<>(Map.of("username", role, "password", password,
                "note", "kept across rotations")));
        TestVault.writeCustomMetadata(MOUNT, vaultPath, Map.of("team", "billing"));
        RotationDue.Target target = new RotationDue.Target("postgresql", Downstream.server().host(),
                Downstream.server().port(), Downstream.server().defaultDatabase(), adminPath(systemId),
                maxConcurrentRotations);
        return new TestCredential(id, role, password, systemId, vaultPath, target);
    }

    public static void seedAdmin(String systemId, String username, String password) throws Exception {
        TestVault.write(adminPath(systemId), new HashMap<>(Map.of("username", username, "password", password)));
    }

    /** Where rekey keeps a system's admin login (deploy/vault: the worker's policy reads secret/rekey/admin/*). */
    public static String adminPath(String systemId) {
        return MOUNT + "/rekey/admin/" + systemId;
    }

    public String logicalPath() {
        return MOUNT + "/" + vaultPath;
    }

    public TestVault.Current current() throws Exception {
        return TestVault.read(logicalPath());
    }

    /** The live pending record, or null when there is none (nothing yet, or a tombstone). */
    public TestVault.Current pending() throws Exception {
        TestVault.Current current = TestVault.read(MOUNT + "/rekey-pending/" + vaultPath);
        return current == null || !current.data().containsKey("password") ? null : current;
    }

    /** Every version of the secret that carries {@code rotationId} (a rotation commits exactly one). */
    public long versionsOf(UUID rotationId) throws Exception {
        return TestVault.versionsCarrying(logicalPath(), rotationId.toString());
    }

    public RotationDue due(UUID rotationId, boolean terminateSessions) {
        return due(rotationId, terminateSessions, target);
    }

    public RotationDue due(UUID rotationId, boolean terminateSessions, RotationDue.Target onTarget) {
        return new RotationDue(rotationId, id, Cause.breach(UUID.randomUUID()),
                new RotationDue.Credential("postgresql-role", MOUNT, vaultPath, role, systemId), onTarget,
                new RotationDue.Policy("password:32", "in-place"), new OwnerRef("owner-1", "owner@example.test"),
                terminateSessions, Instant.now());
    }

    /** Sends a rotation request for this credential to the urgent topic, keyed by system id as the inventory does. */
    public void requestUrgent(RotationDue due) throws Exception {
        KafkaIo.send(Topics.ROTATION_DUE_URGENT, due.recordKey(), EventJson.encode(due));
    }

    /** Sends a scheduled rotation request for this credential. */
    public void requestScheduled(RotationDue due) throws Exception {
        KafkaIo.send(Topics.ROTATION_DUE, due.recordKey(), EventJson.encode(due));
    }
}
