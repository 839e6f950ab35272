package dev.rekey.devstack.downstream;

/** A downstream server that cannot be used here; the message says why in one line, without any secret. */
public final class DownstreamUnavailable extends Exception {

    public DownstreamUnavailable(String reason) {
        super(reason);
    }
}
