package dev.rekey.worker.target.redis;

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

/** Redis ACL users against the machine's server, the logging check on the wire. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class RedisAclTargetTest extends RotationTargetContract {

    @Inject
    RedisAclTarget target;

    @Override
    protected RotationTarget target() {
        return target;
    }

    @Override
    protected TargetFixture fixture() {
        return RedisFixture.shared();
    }
}
