package dev.rekey.notifier.campaign;

import dev.rekey.notifier.delivery.DeliveryLog;
import dev.rekey.notifier.delivery.DeliveryPlanner;
import dev.rekey.notifier.delivery.DeliverySender;
import dev.rekey.notifier.delivery.NewDelivery;
import dev.rekey.notifier.notice.CredentialOutcome;
import dev.rekey.notifier.notice.RoutineDigest;
import dev.rekey.notifier.owner.OwnerChannels;
import dev.rekey.notifier.owner.OwnerDirectory;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Once a period has ended, gathers each owner's scheduled and manual outcomes recorded before its end and not yet
 * reported into one digest ({@code routine:<period end>}), and marks them reported in the same transaction. One
 * instance at a time does it (a transaction-scoped advisory lock); an outcome committed late lands in the next one.
 */
@ApplicationScoped
public class RoutineDigests {

    private static final Logger LOG = Logger.getLogger(RoutineDigests.class);
    private static final long LOCK_ID = 0x7265_6b65_795f_7264L; // "rekey_rd"
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";
    private static final String UNREPORTED = """
            SELECT rotation_id, owner_id, email, credential_id, outcome, version, vault_path, failed_step, reason, old_credential,
                   occurred_at
            FROM routine_outcomes WHERE digest_key IS NULL AND recorded_at < $1 ORDER BY owner_id, occurred_at""";
    private static final String MARK_REPORTED = """
            UPDATE routine_outcomes SET digest_key = $2 WHERE rotation_id = ANY($1)""";

    private final Pool pool;
    private final OwnerDirectory owners;
    private final DeliveryPlanner planner;
    private final DeliveryLog log;
    private final DeliverySender sender;
    private final RoutineDigestConfig config;

    RoutineDigests(Pool pool, OwnerDirectory owners, DeliveryPlanner planner, DeliveryLog log, DeliverySender sender,
                   RoutineDigestConfig config) {
        this.pool = pool;
        this.owners = owners;
        this.planner = planner;
        this.log = log;
        this.sender = sender;
        this.config = config;
    }

    @Scheduled(every = "${notifier.routine-digest.check-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return digestEndedPeriods(Instant.now())
                .invoke(enqueued -> {
                    if (enqueued > 0) {
                        sender.wakeUp();
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("routine digests: %s; the timer retries", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Enqueues the digests of the last period that ended before {@code now}; the number of deliveries enqueued. */
    public Uni<Integer> digestEndedPeriods(Instant now) {
        long period = config.period().toMillis();
        Instant periodEnd = Instant.ofEpochMilli(now.toEpochMilli() / period * period);
        OffsetDateTime end = OffsetDateTime.ofInstant(periodEnd, ZoneOffset.UTC);
        String key = "routine:" + periodEnd;
        return pool.withTransaction(db -> db.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK_ID))
                .chain(locked -> !locked.iterator().next().getBoolean(0) ? Uni.createFrom().item(0)
                        : db.preparedQuery(UNREPORTED).execute(Tuple.of(end)).chain(rows -> {
                            // exactly the rows read: one committed meanwhile waits for the next period's digest
                            List<java.util.UUID> read = new ArrayList<>();
                            rows.forEach(row -> read.add(row.getUUID("rotation_id")));
                            return enqueue(db, rows, key, periodEnd).call(() -> db.preparedQuery(MARK_REPORTED)
                                    .execute(Tuple.of(read.toArray(java.util.UUID[]::new), key)));
                        })));
    }

    private Uni<Integer> enqueue(SqlConnection db, Iterable<Row> rows, String key, Instant periodEnd) {
        Map<String, List<CredentialOutcome>> byOwner = new LinkedHashMap<>();
        Map<String, String> emails = new LinkedHashMap<>();
        for (Row row : rows) {
            String owner = row.getString("owner_id");
            emails.putIfAbsent(owner, row.getString("email"));
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(CampaignBook.outcome(row));
        }
        if (byOwner.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return owners.channels(db, List.copyOf(byOwner.keySet())).chain(known -> {
            List<NewDelivery> deliveries = new ArrayList<>();
            byOwner.forEach((owner, outcomes) -> deliveries.addAll(planner.plan(key, owner,
                    known.getOrDefault(owner, OwnerChannels.emailOnly(emails.get(owner))),
                    new RoutineDigest(owner, periodEnd, outcomes), null)));
            return log.enqueue(db, deliveries);
        });
    }
}
