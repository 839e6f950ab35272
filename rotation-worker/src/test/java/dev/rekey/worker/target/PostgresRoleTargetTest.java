package dev.rekey.worker.target;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.events.RotationDue;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.testing.Downstream;
import dev.rekey.worker.testing.TestCredential;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The PostgreSQL target on its own, against the devstack's real server and the Vault dev server. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class PostgresRoleTargetTest {

    @Inject
    PostgresRoleTarget target;

    @Test
    void quotesAndOddCharactersInRoleAndValueCannotBreakOutOfTheStatement() throws Exception {
        String role = "rk \"odd' role " + UUID.randomUUID().toString().substring(0, 8);
        superuser("CREATE ROLE " + PostgresRoleTarget.quoteIdentifier(role) + " LOGIN PASSWORD 'first'");
        RotationDue due = due(role, adminSystem());
        String value = "it's \"quoted\"; DROP ROLE postgres; --";

        target.apply(due, due.credential().username(), SecretValue.of(value));

        assertThat(Downstream.logsIn(role, value)).isTrue();
        assertThat(Downstream.logsIn(role, "first")).isFalse();
        assertThat(target.logsIn(due, due.credential().username(), SecretValue.of(value))).isTrue();
        assertThat(target.logsIn(due, due.credential().username(), SecretValue.of("first"))).isFalse();
    }

    @Test
    void missingRoleIsAFinalRefusalThatDoesNotQuoteTheStatement() throws Exception {
        RotationDue due = due("rk_missing_" + UUID.randomUUID().toString().substring(0, 8), adminSystem());
        String value = "NeverPrinted" + UUID.randomUUID().toString().replace("-", "");

        TargetException refusal = catchThrowableOfType(() -> target.apply(due, due.credential().username(), SecretValue.of(value)),
                TargetException.class);

        assertThat(refusal.isTransient()).isFalse();
        assertThat(refusal.getMessage()).contains("role does not exist").contains("42704").doesNotContain(value);
    }

    @Test
    void unreachableSystemIsTransientForBothSettingAndLoggingIn() throws Exception {
        RotationDue real = due("anyone", adminSystem());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RotationDue.Target nowhere = new RotationDue.Target("postgresql", "127.0.0.1", closedPort, "postgres",
                real.target().adminSecretPath(), 1);
        RotationDue due = new RotationDue(real.rotationId(), real.credentialId(), real.cause(), real.credential(),
                nowhere, real.policy(), real.owner(), false, real.requestedAt());

        TargetException onSet = catchThrowableOfType(() -> target.apply(due, due.credential().username(), SecretValue.of("x")),
                TargetException.class);
        TargetException onLogin = catchThrowableOfType(() -> target.logsIn(due, due.credential().username(), SecretValue.of("x")),
                TargetException.class);

        assertThat(onSet.isTransient()).isTrue();
        assertThat(onSet.getMessage()).contains("unreachable");
        assertThat(onLogin.isTransient()).isTrue();
    }

    @Test
    void anAdminLoginChangedInVaultIsUsedAtOnce() throws Exception {
        String adminPassword = "Adm" + UUID.randomUUID().toString().replace("-", "");
        String adminRole = Downstream.createAdminRole(adminPassword);
        String systemId = "pg-admin-change-" + UUID.randomUUID();
        TestCredential.seedAdmin(systemId, adminRole, adminPassword);
        String role = Downstream.createRole("first");
        RotationDue due = due(role, systemId);
        target.apply(due, due.credential().username(), SecretValue.of("second")); // pools a connection of the first admin login

        TestCredential.seedAdmin(systemId, adminRole, "no-longer-the-password");
        TargetException refusal = catchThrowableOfType(() -> target.apply(due, due.credential().username(), SecretValue.of("third")),
                TargetException.class);

        assertThat(refusal).as("the pooled connection of the old login is not reused").isNotNull();
        assertThat(refusal.getMessage()).contains("admin login").doesNotContain("no-longer-the-password");
        assertThat(refusal.isTransient()).isFalse();
        assertThat(Downstream.logsIn(role, "second")).isTrue();
    }

    private static String adminSystem() throws Exception {
        String systemId = "pg-" + UUID.randomUUID();
        TestCredential.seedAdmin(systemId, Downstream.server().superuser(), Downstream.server().superuserPassword());
        return systemId;
    }

    private static RotationDue due(String role, String systemId) {
        RotationDue template = SystemGatesTest.due(systemId, 2);
        RotationDue.Target target = new RotationDue.Target("postgresql", Downstream.server().host(),
                Downstream.server().port(), Downstream.server().defaultDatabase(), TestCredential.adminPath(systemId), 2);
        return new RotationDue(template.rotationId(), template.credentialId(), template.cause(),
                new RotationDue.Credential("postgresql-role", TestCredential.MOUNT, "apps/" + role, role, systemId),
                target, template.policy(), template.owner(), false, template.requestedAt());
    }

    private static void superuser(String sql) throws Exception {
        try (Connection c = Downstream.server().connect(Downstream.server().defaultDatabase());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
