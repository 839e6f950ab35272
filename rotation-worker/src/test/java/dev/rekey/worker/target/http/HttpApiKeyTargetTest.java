package dev.rekey.worker.target.http;

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

/** The http target against a local key service that keeps keys until the revoke call. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class HttpApiKeyTargetTest extends RotationTargetContract {

    private static final HttpFixture FIXTURE = new HttpFixture(true);

    @Inject
    HttpApiKeyTarget target;

    @Override
    protected RotationTarget target() {
        return target;
    }

    @Override
    protected TargetFixture fixture() {
        return FIXTURE;
    }
}
