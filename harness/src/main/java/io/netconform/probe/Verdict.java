package io.netconform.probe;

/**
 * What one probe observed about the network. Named, not boolean: a drop, a reject and a broken probe
 * call for different fixes, and only the first two are network verdicts.
 */
public enum Verdict {
    /** The traffic got through (connected, answered, echoed). */
    ALLOWED,
    /** No answer within the probe timeout: dropped somewhere (policy DROP, routing, black hole). */
    TIMEOUT,
    /** Actively rejected: TCP RST, ICMP unreachable, or no listener on the port. */
    REFUSED,
    /** The probe could not observe: exec transport failure, missing tool, unparseable output. Never a network verdict. */
    ERROR;

    /** Blocked in the NetworkPolicy sense: the traffic did not get through, and we know it (not an ERROR). */
    public boolean blocked() {
        return this == TIMEOUT || this == REFUSED;
    }

    public boolean allowed() {
        return this == ALLOWED;
    }
}
