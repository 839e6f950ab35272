package dev.rekey.inventory.policy;

import dev.rekey.events.CauseType;
import dev.rekey.events.EventTypes;
import dev.rekey.events.RotationDue;
import dev.rekey.events.Topics;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.campaign.InFlightRotations;
import dev.rekey.inventory.campaign.RotationRequests;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.outbox.OutboxEvent;
import dev.rekey.inventory.outbox.OutboxRelay;
import dev.rekey.inventory.owner.domain.Owner;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * The rotation policies: every {@code rekey.scheduler.interval} requests a routine rotation ({@code rotation-due} on
 * {@link Topics#ROTATION_DUE}, cause SCHEDULED) of each rotatable credential past its policy's maximum age or never
 * rotated by rekey.
 *
 * <p>Exactly once per due period, with any number of instances and across restarts: each request is claimed by a
 * row of {@code scheduled_rotations} whose primary key is (credential, period), inserted with
 * {@code ON CONFLICT DO NOTHING} in the same transaction as its outbox row. Only a claim that inserted emits; a
 * rolled-back tick leaves neither. The period is the rotation it follows, so the next request comes only after
 * the result of this one moved {@code last_rotated_at} and the new period is due again. A transaction-scoped
 * advisory lock lets one instance tick at a time (the others skip the tick): an optimisation, not the guarantee.
 *
 * <p>Pacing: a tick requests at most {@code batch-size}, and never more than brings the scheduled rotations in
 * flight (claimed, no result yet, younger than {@code in-flight-timeout}) to {@code max-in-flight}.
 */
@ApplicationScoped
public class RotationScheduler {

    private static final Logger LOG = Logger.getLogger(RotationScheduler.class);
    /** The advisory lock that one ticking instance holds for its transaction. */
    static final long TICK_LOCK = 0x0B0C_5C4EL;

    private static final String DUE = "c.owner_id IS NOT NULL AND c.username IS NOT NULL"
            + " AND c.status IN ('ACTIVE', 'ROTATION_FAILED')"
            + " AND (c.last_rotated_at IS NULL"
            + " OR c.last_rotated_at < now() - make_interval(days => c.policy_max_age_days))";
    private static final String PERIOD = "coalesce(c.last_rotated_at, CAST('-infinity' AS timestamptz))";
    // not one that another rotation (a campaign's, a manual one) is rotating now: its result starts a new period
    private static final String CANDIDATES = "SELECT c.* FROM credentials c WHERE " + DUE
            + " AND NOT EXISTS (SELECT 1 FROM scheduled_rotations s WHERE s.credential_id = c.id"
            + " AND s.period_start = " + PERIOD + ")"
            + " AND NOT EXISTS (SELECT 1 FROM rotations_in_flight r WHERE r.credential_id = c.id)"
            + " ORDER BY c.last_rotated_at NULLS FIRST, c.id LIMIT :limit";
    // the due condition again: a result committed since the candidates were read starts a period not yet due
    private static final String CLAIM = "INSERT INTO scheduled_rotations (credential_id, period_start, rotation_id)"
            + " SELECT c.id, " + PERIOD + ", :rotationId FROM credentials c WHERE c.id = :id AND " + DUE
            + " ON CONFLICT DO NOTHING";
    private static final String IN_FLIGHT = "SELECT count(*) FROM scheduled_rotations s"
            + " JOIN credentials c ON c.id = s.credential_id"
            + " WHERE s.period_start = " + PERIOD + " AND c.status <> 'ROTATION_FAILED'"
            + " AND s.scheduled_at > now() - make_interval(secs => :timeout)";

    private static final String UNCLAIM = "DELETE FROM scheduled_rotations WHERE rotation_id = :rotationId";

    private final SchedulerConfig config;
    private final OutboxRelay relay;
    private final InFlightRotations inFlight;
    private final Counter emitted;

    RotationScheduler(SchedulerConfig config, OutboxRelay relay, InFlightRotations inFlight, MeterRegistry registry) {
        this.config = config;
        this.relay = relay;
        this.inFlight = inFlight;
        this.emitted = Counter.builder("rekey.scheduled.rotations")
                .description("rotation-due events the policy scheduler requested (cause SCHEDULED)")
                .register(registry);
    }

    @Scheduled(every = "${rekey.scheduler.interval:10s}", delayed = "${rekey.scheduler.interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onTimer() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return tick().onFailure().recoverWithItem(failure -> {
            LOG.warnf("rotation scheduler tick failed, the next one retries: %s", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** One tick: claims and requests what is due and fits the pacing bounds; returns how many it requested. */
    public Uni<Integer> tick() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT pg_try_advisory_xact_lock(:lock)", Boolean.class)
                        .setParameter("lock", TICK_LOCK).getSingleResult()
                        .chain(locked -> locked ? requestDue(session) : Uni.createFrom().item(0))))
                .invoke(requested -> {
                    if (requested > 0) {
                        emitted.increment(requested);
                        LOG.infof("rotation scheduler requested %d scheduled rotations", requested);
                        relay.drainSoon();
                    }
                });
    }

    private Uni<Integer> requestDue(Mutiny.Session session) {
        return session.createNativeQuery(IN_FLIGHT, Long.class)
                .setParameter("timeout", (double) config.inFlightTimeout().toSeconds())
                .getSingleResult()
                .chain(inFlight -> {
                    int room = (int) Math.min(config.batchSize(), config.maxInFlight() - inFlight);
                    if (room <= 0) {
                        return Uni.createFrom().item(0);
                    }
                    return session.createNativeQuery(CANDIDATES, Credential.class).setParameter("limit", room)
                            .getResultList()
                            .chain(candidates -> Multi.createFrom().iterable(candidates)
                                    .onItem().transformToUniAndConcatenate(c -> request(session, c))
                                    .collect().asList()
                                    .map(RotationScheduler::count));
                });
    }

    /**
     * Claims the credential's current period and, like every rotation, the credential itself
     * ({@link InFlightRotations}), and writes its rotation-due; false when another claim won. A credential that
     * another rotation claimed since the candidates were read keeps its period unclaimed for a later tick.
     */
    private Uni<Boolean> request(Mutiny.Session session, Credential credential) {
        UUID rotationId = UUID.randomUUID();
        return session.createNativeQuery(CLAIM).setParameter("rotationId", rotationId)
                .setParameter("id", credential.id).executeUpdate()
                .chain(claimed -> claimed == 0 ? Uni.createFrom().item(false)
                        : inFlight.claim(session, credential.id, rotationId, CauseType.SCHEDULED).chain(mine -> mine
                        ? emit(credential, rotationId)
                        : session.createNativeQuery(UNCLAIM).setParameter("rotationId", rotationId).executeUpdate()
                        .replaceWith(false)));
    }

    private static Uni<Boolean> emit(Credential credential, UUID rotationId) {
        return DownstreamSystem.<DownstreamSystem>findById(credential.systemId).chain(system ->
                Owner.<Owner>findById(credential.ownerId).chain(owner -> {
                    if (system == null || owner == null) {
                        // cannot happen with the foreign keys; the claims still mark the period
                        LOG.warnf("credential %s has no system or owner; not requested", credential.id);
                        return Uni.createFrom().item(false);
                    }
                    RotationDue due = RotationRequests.forScheduled(rotationId, credential, system, owner,
                            StoredInstant.now());
                    // keyed by system like every rotation-due, subject the credential
                    return OutboxEvent.keyed(Topics.ROTATION_DUE, EventTypes.ROTATION_DUE, "credential",
                            credential.id, due.recordKey(), due).persist().replaceWith(true);
                }));
    }

    private static int count(List<Boolean> requested) {
        return (int) requested.stream().filter(Boolean::booleanValue).count();
    }
}
