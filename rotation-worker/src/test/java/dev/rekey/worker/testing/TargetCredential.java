package dev.rekey.worker.testing;

import dev.rekey.events.Cause;
import dev.rekey.events.CauseType;
import dev.rekey.events.EventJson;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A credential on a {@link TestTarget} system, with its secret in the shared Vault dev server. */
public record TargetCredential(String id, String systemId, String user, String initialPassword, String vaultPath,
                               int bound) {

    public static TargetCredential create(TestTarget target, String systemId, int bound) throws Exception {
        String id = "cred-tt-" + UUID.randomUUID();
        String user = "user_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Init" + UUID.randomUUID().toString().replace("-", "");
        target.createUser(systemId, user, password);
        String vaultPath = "apps/" + id;
        TestVault.write(TestCredential.MOUNT + "/" + vaultPath, new HashMap<>(Map.of("username", user,
                "password", password)));
        return new TargetCredential(id, systemId, user, password, vaultPath, bound);
    }

    /** A breach rotation (urgent topic) or a scheduled one. */
    public RotationDue due(UUID rotationId, boolean breach) {
        return new RotationDue(rotationId, id, breach ? Cause.breach(UUID.randomUUID()) : Cause.scheduled(),
                new RotationDue.Credential("test", TestCredential.MOUNT, vaultPath, user, systemId),
                new RotationDue.Target(TestTarget.TYPE, "test.invalid", 1, null, "secret/none", bound),
                new RotationDue.Policy("password:32", "in-place"), new OwnerRef("owner-1", "o@example.test"), false,
                Instant.now());
    }

    public void send(RotationDue due) throws Exception {
        KafkaIo.sendAll(java.util.List.of(record(due)));
    }

    /** The record the inventory would send for {@code due}: keyed by system id, urgent topic unless scheduled. */
    public static org.apache.kafka.clients.producer.ProducerRecord<String, String> record(RotationDue due) {
        return new org.apache.kafka.clients.producer.ProducerRecord<>(
                due.cause().type() == CauseType.SCHEDULED ? Topics.ROTATION_DUE : Topics.ROTATION_DUE_URGENT,
                due.recordKey(), EventJson.encode(due));
    }

    public TestVault.Current current() throws Exception {
        return TestVault.read(TestCredential.MOUNT + "/" + vaultPath);
    }
}
