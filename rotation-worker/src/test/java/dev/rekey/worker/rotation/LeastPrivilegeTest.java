package dev.rekey.worker.rotation;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.events.EventJson;
import dev.rekey.events.OldCredential;
import dev.rekey.events.RotationDue;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.Topics;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.TestCredential;
import dev.rekey.worker.testing.TestVault;
import dev.rekey.worker.testing.WorkerAppRoleResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker logged in as AppRole {@code rotation-worker} with nothing but its policy
 * ({@code deploy/vault/policies/rotation-worker.hcl}): it rotates, and outside the policy Vault's refusal ends the
 * rotation for good with that reason, changing nothing.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerAppRoleResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LeastPrivilegeTest {

    @Test
    void aRotationUnderTheWorkersPolicyCommitsRecordsAndCleansUp() throws Exception {
        TestCredential credential = TestCredential.create(2);
        UUID rotationId = UUID.randomUUID();

        credential.requestUrgent(credential.due(rotationId, false));

        RotationWorkerTest.awaitResult(Topics.SECRET_ROTATED, credential, rotationId);
        assertThat(Downstream.logsIn(credential.role(), credential.current().data().get("password"))).isTrue();
        assertThat(TestVault.customMetadata(TestCredential.MOUNT, credential.vaultPath()))
                .containsEntry("rekey_r_" + rotationId, "2");
        assertThat(credential.pending()).isNull();
    }

    @Test
    void aSecretOutsideThePolicyFailsFinalWithVaultsRefusal() throws Exception {
        TestCredential credential = TestCredential.create(2);
        String forbidden = "rekey/owners/" + UUID.randomUUID() + "/db";
        TestVault.write(TestCredential.MOUNT + "/" + forbidden, new HashMap<>(Map.of("username", credential.role(),
                "password", credential.initialPassword())));
        RotationDue template = credential.due(UUID.randomUUID(), false);
        RotationDue due = new RotationDue(template.rotationId(), template.credentialId(), template.cause(),
                new RotationDue.Credential("postgresql-role", TestCredential.MOUNT, forbidden, credential.role(),
                        credential.systemId()), template.target(), template.policy(), template.owner(), false,
                template.requestedAt());

        credential.requestUrgent(due);

        RotationFailed failed = EventJson.decode(
                RotationWorkerTest.awaitResult(Topics.ROTATION_FAILED, credential, due.rotationId()).value(),
                RotationFailed.class);
        assertThat(failed.finalAttempt()).isTrue();
        assertThat(failed.reason()).isEqualTo("vault refused reading secret/" + forbidden + " (HTTP 403)");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.UNKNOWN);
        assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isTrue();
    }

    @Test
    void anAdminLoginOutsideThePolicyFailsFinalAndLeavesVaultsValueWorking() throws Exception {
        String systemId = "pg-lp-" + UUID.randomUUID();
        String outside = TestCredential.MOUNT + "/rekey/systems/" + systemId;
        TestVault.write(outside, new HashMap<>(Map.of("username", Downstream.server().superuser(),
                "password", Downstream.server().superuserPassword())));
        TestCredential credential = TestCredential.create(systemId, 2);
        RotationDue.Target target = new RotationDue.Target("postgresql", Downstream.server().host(),
                Downstream.server().port(), Downstream.server().defaultDatabase(), outside, 2);
        UUID rotationId = UUID.randomUUID();

        credential.requestUrgent(credential.due(rotationId, false, target));

        RotationFailed failed = EventJson.decode(
                RotationWorkerTest.awaitResult(Topics.ROTATION_FAILED, credential, rotationId).value(),
                RotationFailed.class);
        assertThat(failed.finalAttempt()).isTrue();
        assertThat(failed.reason()).isEqualTo("vault refused reading " + outside + " (HTTP 403)");
        assertThat(failed.oldCredential()).isEqualTo(OldCredential.VALID);
        assertThat(credential.current().version()).isEqualTo(1);
        assertThat(credential.pending()).isNull();
        assertThat(Downstream.logsIn(credential.role(), credential.initialPassword())).isTrue();
    }
}
