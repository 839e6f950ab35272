package dev.rekey.notifier.notice;

import java.time.Instant;

/**
 * What the notifier tells someone. Built from event fields only (ids, counts, Vault paths and versions, reasons),
 * never from a secret value: the events carry none, and nothing here reads one.
 */
public sealed interface Notice permits BreachAlert, BreachDigest, FailureAlert, RoutineDigest {

    /** The kind, as in the delivery log and the {@code kind} label of the metrics. */
    String kind();

    /** One line: the mail subject, the first line of a chat message. */
    String subject();

    /** When what it reports happened: the delivery latency is measured from here. */
    Instant eventAt();

    /** The Standard Webhooks {@code type} of its webhook payload. */
    default String webhookType() {
        return "rekey." + kind().replace('-', '.');
    }
}
