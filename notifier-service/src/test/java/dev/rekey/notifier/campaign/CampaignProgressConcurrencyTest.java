package dev.rekey.notifier.campaign;

import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.devstack.testing.SmtpResource;
import dev.rekey.events.BreachReported;
import dev.rekey.events.OwnerRef;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static dev.rekey.notifier.Campaigns.breach;
import static dev.rekey.notifier.Campaigns.owner;
import static dev.rekey.notifier.Campaigns.share;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives {@link CampaignProgress} directly so that the transactions recording one owner's last two outcomes really
 * overlap, on two event loops at once: without the per-owner lock each would miss the other's uncommitted row and
 * no summary would be enqueued.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifier_test"))
@WithTestResource(SmtpResource.class)
class CampaignProgressConcurrencyTest {

    @Inject
    CampaignProgress progress;

    @Inject
    Vertx vertx;

    @Test
    void twoLastOutcomesRecordedAtTheSameTimeEnqueueExactlyOneSummary() throws Exception {
        UUID breachId = UUID.randomUUID();
        List<OwnerRef> owners = IntStream.range(0, 30).mapToObj(i -> owner("overlap" + i)).toList();
        BreachReported breach = breach(breachId, "Overlapping outcomes",
                owners.stream().map(o -> share(o, 2)).toArray(BreachReported.OwnerCount[]::new));
        onItsOwnContext(() -> progress.open(breach)).get(30, TimeUnit.SECONDS);

        List<CompletableFuture<Void>> recording = new ArrayList<>();
        for (OwnerRef owner : owners) {
            recording.add(onItsOwnContext(() -> progress.record(outcome(breachId, owner, "db"))));
            recording.add(onItsOwnContext(() -> progress.record(outcome(breachId, owner, "mq"))));
        }
        CompletableFuture.allOf(recording.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(CampaignMailTest.summaries(breachId)).isEqualTo(owners.size());
    }

    private static Outcome outcome(UUID breachId, OwnerRef owner, String credential) {
        return new Outcome(UUID.randomUUID(), breachId, owner.ownerId(), owner.ownerId() + "-" + credential,
                OutcomeKind.ROTATED, 2L, "secret/apps/" + credential, null, null, false, Instant.now());
    }

    /** Runs {@code work} on a new safe duplicated context of a new event-loop context, as a Kafka record would. */
    private CompletableFuture<Void> onItsOwnContext(Supplier<Uni<Void>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> work.get().subscribe().with(done::complete, done::completeExceptionally));
        return done;
    }
}
