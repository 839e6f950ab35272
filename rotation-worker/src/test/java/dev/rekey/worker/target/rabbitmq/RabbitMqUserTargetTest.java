package dev.rekey.worker.target.rabbitmq;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.VaultResource;
import dev.rekey.worker.secret.SecretValue;
import dev.rekey.worker.target.RotationTarget;
import dev.rekey.worker.target.RotationTargetContract;
import dev.rekey.worker.target.TargetFixture;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RabbitMQ users against the machine's server: management API to set, AMQP to log in. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = VaultResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "rotation_worker_test"))
class RabbitMqUserTargetTest extends RotationTargetContract {

    @Inject
    RabbitMqUserTarget target;

    @Override
    protected RotationTarget target() {
        return target;
    }

    @Override
    protected TargetFixture fixture() {
        return RabbitMqFixture.shared();
    }

    @Test
    void aRotationKeepsTheUsersTags() throws Exception {
        String user = user(fixture().plainName(), value("Old"));

        target.apply(due(user), user, SecretValue.of(value("New")));

        assertThat(RabbitMqFixture.shared().tags(user)).containsExactly(RabbitMqFixture.TAG);
    }
}
