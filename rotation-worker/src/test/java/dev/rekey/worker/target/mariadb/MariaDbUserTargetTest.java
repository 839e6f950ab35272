package dev.rekey.worker.target.mariadb;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.RotationTargetContract;
import dev.rekey.worker.target.TargetFixture;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** MariaDB accounts against the machine's server, its general log switched on for the logging check. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class MariaDbUserTargetTest extends RotationTargetContract {

    @Inject
    MariaDbUserTarget target;

    @Override
    protected RotationTarget target() {
        return target;
    }

    @Override
    protected TargetFixture fixture() {
        return MariaDbFixture.shared();
    }
}
