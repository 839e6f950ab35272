package dev.rekey.notifier.delivery;

import dev.rekey.notifier.mail.MailContent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The durable delivery log: mail is enqueued in the transaction of the event that causes it and sent later, so a
 * crash between the commit and the send loses nothing. Plain SQL where PostgreSQL does the concurrency work
 * ({@code ON CONFLICT}, {@code FOR UPDATE SKIP LOCKED}).
 */
@ApplicationScoped
public class DeliveryLog {

    private static final String ENQUEUE = """
            INSERT INTO deliveries (breach_id, owner_id, kind, recipient, subject, body)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT ON CONSTRAINT deliveries_one_per_kind DO NOTHING""";

    // Claims by pushing next_attempt_at past the lease: other instances skip locked rows now and leased rows later.
    // A summary waits while the same owner's breach-reported mail is still pending, so it is never sent first.
    private static final String CLAIM = """
            WITH claimed AS (
              UPDATE deliveries SET next_attempt_at = now() + make_interval(secs => ?1)
              WHERE id IN (
                SELECT d.id FROM deliveries d
                WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
                  AND (d.kind = 'BREACH_REPORTED' OR NOT EXISTS (
                    SELECT 1 FROM deliveries r
                    WHERE r.breach_id = d.breach_id AND r.owner_id = d.owner_id
                      AND r.kind = 'BREACH_REPORTED' AND r.status = 'PENDING'))
                ORDER BY d.next_attempt_at
                LIMIT ?2
                FOR UPDATE OF d SKIP LOCKED)
              RETURNING id)
            SELECT id FROM claimed""";

    private static final String MARK_SENT = """
            UPDATE deliveries SET status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL
            WHERE id = ?1""";

    private static final String MARK_ATTEMPT_FAILED = """
            UPDATE deliveries SET status = ?2, attempts = attempts + 1, last_error = ?3,
                   next_attempt_at = now() + make_interval(secs => ?4)
            WHERE id = ?1""";

    /** Adds a mail unless this owner already has one of this kind for this breach; true when it was added. */
    public Uni<Boolean> enqueue(UUID breachId, String ownerId, DeliveryKind kind, String recipient, MailContent mail) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ENQUEUE)
                .setParameter(1, breachId).setParameter(2, ownerId).setParameter(3, kind.name())
                .setParameter(4, recipient).setParameter(5, mail.subject()).setParameter(6, mail.body())
                .executeUpdate()).map(rows -> rows > 0);
    }

    /** Claims up to {@code limit} due deliveries for {@code lease}, in their own transaction. */
    public Uni<List<OutgoingMail>> claimDue(int limit, Duration lease) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, UUID.class)
                        .setParameter(1, seconds(lease)).setParameter(2, limit).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Delivery>of())
                        : Delivery.<Delivery>list("id in ?1 order by createdAt", ids))
                .map(deliveries -> deliveries.stream().map(OutgoingMail::of).toList()));
    }

    /** Records the attempts of one batch in one transaction: SENT, due again after the backoff, or FAILED. */
    public Uni<Void> record(List<SendAttempt> attempts, RetrySchedule schedule) {
        return Panache.withTransaction(() -> Multi.createFrom().iterable(attempts)
                .onItem().transformToUniAndConcatenate(attempt -> record(attempt, schedule))
                .collect().last()).replaceWithVoid();
    }

    private Uni<Integer> record(SendAttempt attempt, RetrySchedule schedule) {
        if (attempt.sent()) {
            return Panache.getSession().chain(session -> session.createNativeQuery(MARK_SENT)
                    .setParameter(1, attempt.mail().id()).executeUpdate());
        }
        int attemptsMade = attempt.mail().attempts() + 1;
        DeliveryStatus status = schedule.exhausted(attemptsMade) ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
        return Panache.getSession().chain(session -> session.createNativeQuery(MARK_ATTEMPT_FAILED)
                .setParameter(1, attempt.mail().id()).setParameter(2, status.name())
                .setParameter(3, attempt.error()).setParameter(4, seconds(schedule.backoffAfter(attemptsMade)))
                .executeUpdate());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
