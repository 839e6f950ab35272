package dev.rekey.notifier.campaign;

import dev.rekey.events.BreachReported;
import dev.rekey.events.CauseType;
import dev.rekey.events.OldCredential;
import dev.rekey.events.OwnerRef;
import dev.rekey.events.RotationFailed;
import dev.rekey.events.SecretRotated;
import dev.rekey.notifier.delivery.DeliveryLog;
import dev.rekey.notifier.delivery.DeliveryPlanner;
import dev.rekey.notifier.delivery.NewDelivery;
import dev.rekey.notifier.notice.BreachAlert;
import dev.rekey.notifier.notice.BreachDigest;
import dev.rekey.notifier.notice.CredentialOutcome;
import dev.rekey.notifier.notice.FailureAlert;
import dev.rekey.notifier.owner.OwnerChannels;
import dev.rekey.notifier.owner.OwnerDirectory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The campaign bookkeeping of one batch of events, in one transaction: a breach's owners and their alerts, each
 * breach rotation's outcome and, once an owner's outcomes reach the expected count, the owner's digest; urgent
 * alerts for failures that need a person; scheduled and manual outcomes for the periodic digest. Everything is
 * keyed by event (breach, rotation id) so a redelivered batch changes nothing.
 *
 * <p>Outcomes may arrive before their breach (other topics), so progress is counted from the outcome rows, and the
 * transactions that touch one owner's campaign are serialised by an advisory lock per (breach, owner), taken in
 * one global order: without it, two instances that commit an owner's last two outcomes side by side would each miss
 * the other's row and neither would enqueue the digest.
 */
@ApplicationScoped
public class CampaignBook {

    private static final Logger LOG = Logger.getLogger(CampaignBook.class);

    private static final String LOCK = """
            SELECT count(pg_advisory_xact_lock(h)) FROM (
              SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered""";
    private static final String UPSERT_CAMPAIGN_OWNER = """
            INSERT INTO campaign_owners (breach_id, owner_id, email, title, expected_count, reported_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (breach_id, owner_id) DO UPDATE
            SET email = excluded.email, title = excluded.title, expected_count = excluded.expected_count,
                reported_at = excluded.reported_at""";
    // one statement for the whole batch (arrays unnested), not one per outcome
    private static final String INSERT_OUTCOMES = """
            INSERT INTO rotation_outcomes (rotation_id, breach_id, owner_id, credential_id, outcome, version,
                                           vault_path, failed_step, reason, old_credential, occurred_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                 $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
            ON CONFLICT (rotation_id) DO NOTHING""";
    private static final String INSERT_ROUTINE_OUTCOME = """
            INSERT INTO routine_outcomes (rotation_id, owner_id, email, credential_id, cause, outcome, version,
                                          vault_path, failed_step, reason, old_credential, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (rotation_id) DO NOTHING""";
    private static final String DUE_DIGESTS = """
            SELECT c.breach_id, c.owner_id, c.email, c.title, c.expected_count FROM campaign_owners c
            WHERE (c.breach_id, c.owner_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
              AND NOT c.digest_enqueued
              AND (SELECT count(DISTINCT o.credential_id) FROM rotation_outcomes o
                   WHERE o.breach_id = c.breach_id AND o.owner_id = c.owner_id) >= c.expected_count""";
    private static final String OUTCOMES_OF = """
            SELECT breach_id, owner_id, credential_id, outcome, version, vault_path, failed_step, reason,
                   old_credential, occurred_at
            FROM rotation_outcomes WHERE (breach_id, owner_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))""";
    private static final String MARK_DIGESTED = """
            UPDATE campaign_owners SET digest_enqueued = true
            WHERE (breach_id, owner_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))""";

    private final Pool pool;
    private final OwnerDirectory owners;
    private final DeliveryPlanner planner;
    private final DeliveryLog log;
    private final IncidentConfig incident;

    CampaignBook(Pool pool, OwnerDirectory owners, DeliveryPlanner planner, DeliveryLog log, IncidentConfig incident) {
        this.pool = pool;
        this.owners = owners;
        this.planner = planner;
        this.log = log;
        this.incident = incident;
    }

    /** Applies a batch in one transaction; the number of deliveries it enqueued. */
    public Uni<Integer> apply(List<CampaignEvent> events) {
        Batch batch = Batch.of(events);
        return pool.withTransaction(db -> lock(db, batch)
                .chain(() -> executeBatch(db, UPSERT_CAMPAIGN_OWNER, batch.campaignOwnerRows()))
                .chain(() -> insertOutcomes(db, batch.outcomeRows()))
                .chain(() -> executeBatch(db, INSERT_ROUTINE_OUTCOME, batch.routineRows()))
                .chain(() -> owners.channels(db, List.copyOf(batch.ownerEmails.keySet())))
                .chain(known -> dueDigests(db, batch).chain(digests -> {
                    long planning = System.nanoTime();
                    List<NewDelivery> deliveries = new ArrayList<>();
                    batch.alerts.forEach(alert -> deliveries.addAll(traced(planner.plan("breach:" + alert.breachId()
                            + ":alert", alert.ownerId(), channelsOf(known, batch, alert.ownerId()), alert,
                            alert.breachId()), batch.traceparents.get(Batch.alertTrace(alert.breachId())))));
                    batch.failures.forEach((key, failure) -> {
                        String traceparent = batch.traceparents.get(key);
                        deliveries.addAll(traced(planner.plan(key, failure.ownerId(),
                                channelsOf(known, batch, failure.ownerId()), failure, failure.breachId()), traceparent));
                        if (!incident.channels().isEmpty()) {
                            deliveries.addAll(traced(planner.plan(key, NewDelivery.INCIDENT, incident.channels(),
                                    failure, failure.breachId()), traceparent));
                        }
                    });
                    digests.forEach(digest -> deliveries.addAll(traced(planner.plan("breach:" + digest.breachId()
                            + ":digest", digest.ownerId(), channelsOf(known, batch, digest.ownerId()), digest,
                            digest.breachId()), batch.traceparents.get(
                                    Batch.digestTrace(digest.breachId(), digest.ownerId())))));
                    LOG.debugf("rendered %d deliveries (%d digests) in %d ms", deliveries.size(), digests.size(),
                            (System.nanoTime() - planning) / 1_000_000);
                    return markDigested(db, digests).chain(() -> log.enqueue(db, deliveries));
                })));
    }

    // each delivery is sent in the trace of the event that caused it (a digest: the owner's last result seen here)
    private static List<NewDelivery> traced(List<NewDelivery> deliveries, String traceparent) {
        return traceparent == null ? deliveries
                : deliveries.stream().map(d -> d.withTraceparent(traceparent)).toList();
    }

    // the owner's channels from rekey.owners; an owner the notifier does not know yet is mailed at the address
    // the event carries, so that a lagging owners topic costs no alert
    private static OwnerChannels channelsOf(Map<String, OwnerChannels> known, Batch batch, String ownerId) {
        OwnerChannels channels = known.get(ownerId);
        if (channels != null) {
            return channels;
        }
        String email = batch.ownerEmails.get(ownerId);
        LOG.warnf("owner %s is not on rekey.owners (yet): using the address the event carries", ownerId);
        return OwnerChannels.emailOnly(email);
    }

    private static Uni<Void> lock(SqlConnection db, Batch batch) {
        if (batch.campaignKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] keys = batch.campaignKeys.stream().map(k -> k.breachId + "/" + k.ownerId).toArray(String[]::new);
        return db.preparedQuery(LOCK).execute(Tuple.of(keys)).replaceWithVoid();
    }

    private Uni<List<BreachDigest>> dueDigests(SqlConnection db, Batch batch) {
        if (batch.campaignKeys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.preparedQuery(DUE_DIGESTS).execute(keysTuple(batch.campaignKeys)).chain(rows -> {
            Map<CampaignKey, Row> due = new LinkedHashMap<>();
            rows.forEach(row -> due.put(new CampaignKey(row.getUUID("breach_id"), row.getString("owner_id")), row));
            if (due.isEmpty()) {
                return Uni.createFrom().item(List.<BreachDigest>of());
            }
            due.values().forEach(row -> batch.ownerEmails.putIfAbsent(row.getString("owner_id"), row.getString("email")));
            return db.preparedQuery(OUTCOMES_OF).execute(keysTuple(due.keySet())).map(outcomeRows -> {
                Map<CampaignKey, List<CredentialOutcome>> outcomes = new HashMap<>();
                for (Row row : outcomeRows) {
                    outcomes.computeIfAbsent(new CampaignKey(row.getUUID("breach_id"), row.getString("owner_id")),
                            k -> new ArrayList<>()).add(outcome(row));
                }
                List<BreachDigest> digests = new ArrayList<>();
                due.forEach((key, row) -> digests.add(new BreachDigest(key.breachId, row.getString("title"),
                        key.ownerId, row.getInteger("expected_count"), outcomes.getOrDefault(key, List.of()))));
                return digests;
            });
        });
    }

    private static Uni<Void> markDigested(SqlConnection db, List<BreachDigest> digests) {
        if (digests.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<CampaignKey> keys = digests.stream().map(d -> new CampaignKey(d.breachId(), d.ownerId())).toList();
        return db.preparedQuery(MARK_DIGESTED).execute(keysTuple(keys)).replaceWithVoid();
    }

    static CredentialOutcome outcome(Row row) {
        String old = row.getString("old_credential");
        return new CredentialOutcome(row.getString("credential_id"), "ROTATED".equals(row.getString("outcome")),
                row.getLong("version"), row.getString("vault_path"), row.getString("failed_step"),
                row.getString("reason"), old == null ? null : OldCredential.valueOf(old),
                row.getOffsetDateTime("occurred_at").toInstant());
    }

    private static Tuple keysTuple(java.util.Collection<CampaignKey> keys) {
        return Tuple.of(keys.stream().map(k -> k.breachId).toArray(UUID[]::new),
                keys.stream().map(k -> k.ownerId).toArray(String[]::new));
    }

    private static Uni<Void> insertOutcomes(SqlConnection db, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Object[][] columns = new Object[11][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < 11; c++) {
                columns[c][r] = rows.get(r).getValue(c);
            }
        }
        Tuple arrays = Tuple.of(copy(columns[0], UUID[]::new), copy(columns[1], UUID[]::new),
                copy(columns[2], String[]::new), copy(columns[3], String[]::new), copy(columns[4], String[]::new));
        arrays.addValue(copy(columns[5], Long[]::new));
        for (int c = 6; c < 10; c++) {
            arrays.addValue(copy(columns[c], String[]::new));
        }
        arrays.addValue(copy(columns[10], OffsetDateTime[]::new));
        return db.preparedQuery(INSERT_OUTCOMES).execute(arrays).replaceWithVoid();
    }

    private static <T> T[] copy(Object[] column, java.util.function.IntFunction<T[]> array) {
        T[] typed = array.apply(column.length);
        System.arraycopy(column, 0, typed, 0, column.length);
        return typed;
    }

    private static Uni<Void> executeBatch(SqlConnection db, String sql, List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    private record CampaignKey(UUID breachId, String ownerId) {
    }

    /** What one batch of events asks for, gathered before the transaction. */
    private static final class Batch {
        final Set<CampaignKey> campaignKeys = new LinkedHashSet<>();
        final Map<String, String> ownerEmails = new LinkedHashMap<>();
        final List<BreachReported> breaches = new ArrayList<>();
        final List<BreachAlert> alerts = new ArrayList<>();
        final List<SecretRotated> breachRotations = new ArrayList<>();
        final List<RotationFailed> breachFailures = new ArrayList<>();
        final List<SecretRotated> routineRotations = new ArrayList<>();
        final List<RotationFailed> routineFailures = new ArrayList<>();
        final Map<String, FailureAlert> failures = new LinkedHashMap<>();
        /** The traceparent of the event behind each delivery key ({@link #alertTrace}, {@link #digestTrace}, failure keys). */
        final Map<String, String> traceparents = new HashMap<>();

        static String alertTrace(UUID breachId) {
            return "breach:" + breachId + ":alert";
        }

        static String digestTrace(UUID breachId, String ownerId) {
            return "breach:" + breachId + ":digest:" + ownerId;
        }

        static Batch of(List<CampaignEvent> events) {
            Batch batch = new Batch();
            events.forEach(batch::add);
            return batch;
        }

        private void add(CampaignEvent event) {
            trace(event);
            if (event instanceof CampaignEvent.Reported r) {
                breaches.add(r.event());
                for (BreachReported.OwnerCount owner : r.event().owners()) {
                    campaignKeys.add(new CampaignKey(r.event().breachId(), owner.ownerId()));
                    ownerEmails.putIfAbsent(owner.ownerId(), owner.email());
                    if (owner.count() > 0) {
                        alerts.add(new BreachAlert(r.event().breachId(), r.event().title(), r.event().reason(),
                                r.event().reportedBy(), r.event().reportedAt(), owner.ownerId(), owner.count()));
                    }
                }
            } else if (event instanceof CampaignEvent.Rotated r) {
                owner(r.event().owner());
                if (r.event().cause().type() == CauseType.BREACH) {
                    breachRotations.add(r.event());
                    campaignKeys.add(new CampaignKey(r.event().cause().breachId(), r.event().owner().ownerId()));
                } else {
                    routineRotations.add(r.event());
                }
            } else if (event instanceof CampaignEvent.Failed f) {
                RotationFailed failed = f.event();
                owner(failed.owner());
                boolean breach = failed.cause().type() == CauseType.BREACH;
                if (failed.finalAttempt() && breach) {
                    breachFailures.add(failed);
                    campaignKeys.add(new CampaignKey(failed.cause().breachId(), failed.owner().ownerId()));
                } else if (failed.finalAttempt()) {
                    routineFailures.add(failed);
                }
                // a person must act: the value in Vault no longer logs in, or the worker gave up
                if (failed.finalAttempt() || failed.oldCredential() == OldCredential.INVALID) {
                    String key = "failure:" + failed.rotationId() + (failed.finalAttempt() ? ":final" : ":invalid");
                    failures.putIfAbsent(key, new FailureAlert(failed.rotationId(), failed.credentialId(),
                            failed.owner().ownerId(), failed.cause().type(), failed.cause().breachId(),
                            failed.step(), failed.reason(), failed.attempts(), failed.finalAttempt(),
                            failed.oldCredential(), failed.failedAt()));
                }
            }
        }

        private void trace(CampaignEvent event) {
            if (event.traceparent() == null) {
                return;
            }
            if (event instanceof CampaignEvent.Reported r) {
                traceparents.put(alertTrace(r.event().breachId()), event.traceparent());
            } else if (event instanceof CampaignEvent.Rotated r && r.event().cause().type() == CauseType.BREACH) {
                traceparents.put(digestTrace(r.event().cause().breachId(), r.event().owner().ownerId()),
                        event.traceparent());
            } else if (event instanceof CampaignEvent.Failed f) {
                RotationFailed failed = f.event();
                if (failed.cause().type() == CauseType.BREACH) {
                    traceparents.put(digestTrace(failed.cause().breachId(), failed.owner().ownerId()),
                            event.traceparent());
                }
                String key = "failure:" + failed.rotationId() + (failed.finalAttempt() ? ":final" : ":invalid");
                traceparents.putIfAbsent(key, event.traceparent());
            }
        }

        private void owner(OwnerRef owner) {
            ownerEmails.putIfAbsent(owner.ownerId(), owner.email());
        }

        List<Tuple> campaignOwnerRows() {
            List<Tuple> rows = new ArrayList<>();
            for (BreachReported breach : breaches) {
                for (BreachReported.OwnerCount owner : breach.owners()) {
                    rows.add(Tuple.from(Arrays.asList(breach.breachId(), owner.ownerId(), owner.email(),
                            breach.title(), owner.count(), time(breach.reportedAt()))));
                }
            }
            return rows;
        }

        List<Tuple> outcomeRows() {
            List<Tuple> rows = new ArrayList<>();
            breachRotations.forEach(r -> rows.add(Tuple.from(Arrays.asList(r.rotationId(), r.cause().breachId(),
                    r.owner().ownerId(), r.credentialId(), "ROTATED", r.version(), r.vaultMount() + "/" + r.vaultPath(),
                    null, null, null, time(r.rotatedAt())))));
            breachFailures.forEach(f -> rows.add(Tuple.from(Arrays.asList(f.rotationId(), f.cause().breachId(),
                    f.owner().ownerId(), f.credentialId(), "FAILED", null, null, f.step(), f.reason(),
                    f.oldCredential().name(), time(f.failedAt())))));
            return rows;
        }

        List<Tuple> routineRows() {
            List<Tuple> rows = new ArrayList<>();
            routineRotations.forEach(r -> rows.add(Tuple.from(Arrays.asList(r.rotationId(), r.owner().ownerId(),
                    r.owner().email(), r.credentialId(), r.cause().type().name(), "ROTATED", r.version(),
                    r.vaultMount() + "/" + r.vaultPath(), null, null, null, time(r.rotatedAt())))));
            routineFailures.forEach(f -> rows.add(Tuple.from(Arrays.asList(f.rotationId(), f.owner().ownerId(),
                    f.owner().email(), f.credentialId(), f.cause().type().name(), "FAILED", null, null, f.step(),
                    f.reason(), f.oldCredential().name(), time(f.failedAt())))));
            return rows;
        }

        private static OffsetDateTime time(java.time.Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
    }
}
