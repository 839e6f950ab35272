package dev.rekey.events;

/** Why a rotation was requested. */
public enum CauseType {
    /** The credential reached its policy's maximum age. */
    SCHEDULED,
    /** The credential is in a reported breach's blast radius. */
    BREACH,
    /** Someone asked for it through the API. */
    MANUAL
}
