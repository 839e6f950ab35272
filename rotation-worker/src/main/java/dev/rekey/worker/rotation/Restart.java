package dev.rekey.worker.rotation;

/** The state in Vault moved under the rotation (a check-and-set mismatch, a takeover): run it again from prepare. */
final class Restart extends RuntimeException {

    enum Why { COMMIT_CONFLICT, PENDING_ADOPTED }

    final Why why;

    Restart(Why why) {
        super(why.name(), null, false, false);
        this.why = why;
    }
}
