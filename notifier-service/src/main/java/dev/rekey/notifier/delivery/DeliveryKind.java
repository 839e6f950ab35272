package dev.rekey.notifier.delivery;

/** Which of the two mails an owner gets per breach. */
public enum DeliveryKind {
    /** Sent when the breach is reported. */
    BREACH_REPORTED,
    /** Sent once all of the owner's credentials in the breach are rotated or have finally failed. */
    BREACH_SUMMARY
}
