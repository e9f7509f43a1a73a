package io.netconform.probe;

/** What a don't-fragment ping of one size showed about the path MTU. */
public enum DfOutcome {
    /** Replies came back: the packet fits the whole path. */
    PASSED,
    /** The source pod's own interface/route refused it ("message too long, mtu=N", EMSGSIZE). */
    REFUSED_LOCALLY,
    /** A hop answered "Frag needed and DF set (mtu = N)" / "Packet too big": PMTU discovery works. */
    REFUSED_BY_HOP,
    /** No reply and no error: a PMTU black hole, the failure that hangs large transfers. */
    SILENTLY_DROPPED,
    /** The probe could not tell (busybox ping, no permission, unknown output). */
    ERROR;

    Verdict verdict() {
        return switch (this) {
            case PASSED -> Verdict.ALLOWED;
            case REFUSED_LOCALLY, REFUSED_BY_HOP -> Verdict.REFUSED;
            case SILENTLY_DROPPED -> Verdict.TIMEOUT;
            case ERROR -> Verdict.ERROR;
        };
    }
}
