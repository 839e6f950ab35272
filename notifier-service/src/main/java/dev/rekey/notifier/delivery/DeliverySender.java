package dev.rekey.notifier.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the due deliveries of the log with the reactive mailer. Woken right after a consumer commits and by a timer
 * as the safety net. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so two instances never send
 * the same row at the same time.
 *
 * <p>Delivery is at-least-once. The remaining double-send window: the SMTP server accepted a mail but this
 * instance died (or lost the database) before marking it SENT, or the send outlasted the claim lease; the row is
 * then claimed again and the mail sent twice. Each mail carries {@code X-Rekey-Delivery-Id} so that a reader can
 * spot such a duplicate.
 */
@ApplicationScoped
public class DeliverySender {

    static final String WAKE_UP = "rekey.notifier.deliveries-due";
    private static final Logger LOG = Logger.getLogger(DeliverySender.class);

    private final ReactiveMailer mailer;
    private final DeliveryLog log;
    private final DeliveryConfig config;
    private final RetrySchedule retries;
    private final EventBus bus;
    private final MeterRegistry metrics;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wokenWhileDraining = new AtomicBoolean();
    private volatile boolean stopping;

    DeliverySender(ReactiveMailer mailer, DeliveryLog log, DeliveryConfig config, EventBus bus, MeterRegistry metrics) {
        this.mailer = mailer;
        this.log = log;
        this.config = config;
        this.retries = RetrySchedule.from(config);
        this.bus = bus;
        this.metrics = metrics;
    }

    /** Asks for the due deliveries to be sent soon. Cheap and callable from any thread. */
    public void wakeUp() {
        bus.send(WAKE_UP, "due");
    }

    // the mail left pending stays in the log for the next start; a drain now would only meet a closing pool
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${notifier.delivery.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onTimer() {
        wakeUp();
    }

    // Through the event bus so that every drain runs on its own Vert.x context, as Hibernate Reactive requires.
    @ConsumeEvent(WAKE_UP)
    Uni<Void> onWakeUp(String reason) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        if (!draining.compareAndSet(false, true)) {
            wokenWhileDraining.set(true); // the running drain looks again before it stops
            return Uni.createFrom().voidItem();
        }
        return sendDueBatches()
                .onFailure().invoke(e -> LOG.warnf("sending due mail stopped, the timer retries: %s", e.toString()))
                .onFailure().recoverWithNull()
                .eventually(() -> {
                    draining.set(false);
                    if (wokenWhileDraining.getAndSet(false)) {
                        wakeUp();
                    }
                });
    }

    private Uni<Void> sendDueBatches() {
        return log.claimDue(config.batchSize(), config.claimLease())
                .chain(batch -> batch.isEmpty() ? Uni.createFrom().voidItem()
                        : sendAll(batch).chain(attempts -> log.record(attempts, retries))
                        .chain(this::sendDueBatches));
    }

    private Uni<List<SendAttempt>> sendAll(List<OutgoingMail> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUni(this::send).merge(config.parallelSends())
                .collect().asList();
    }

    private Uni<SendAttempt> send(OutgoingMail mail) {
        // deferred, so that an address the mail client rejects while building the message is a failed attempt too
        return Uni.createFrom().deferred(() -> mailer.send(Mail.withText(mail.recipient(), mail.subject(), mail.body())
                        .addHeader("X-Rekey-Delivery-Id", mail.id().toString())
                        .addHeader("X-Rekey-Breach-Id", mail.breachId().toString())
                        .addHeader("X-Rekey-Mail-Kind", mail.kind().name())))
                .map(ignored -> report(SendAttempt.sent(mail)))
                .onFailure().recoverWithItem(failure -> report(SendAttempt.failed(mail, failure)));
    }

    private SendAttempt report(SendAttempt attempt) {
        OutgoingMail mail = attempt.mail();
        int attemptsMade = mail.attempts() + 1;
        String outcome = attempt.sent() ? "sent" : retries.exhausted(attemptsMade) ? "failed" : "retry";
        metrics.counter("rekey.notifier.mail.attempts", "kind", mail.kind().name(), "outcome", outcome).increment();
        if (attempt.sent()) {
            LOG.debugf("sent %s mail of breach %s to owner %s", mail.kind(), mail.breachId(), mail.ownerId());
        } else if (outcome.equals("failed")) {
            LOG.errorf("giving up on %s mail %s of breach %s to owner %s after %d attempts: %s", mail.kind(), mail.id(),
                    mail.breachId(), mail.ownerId(), attemptsMade, attempt.error());
        } else {
            LOG.warnf("%s mail %s of breach %s to owner %s failed (attempt %d), retry in %s: %s", mail.kind(), mail.id(),
                    mail.breachId(), mail.ownerId(), attemptsMade, retries.backoffAfter(attemptsMade), attempt.error());
        }
        return attempt;
    }
}
