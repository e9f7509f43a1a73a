package io.netconform.cluster;

import java.util.Objects;

/** A source node and a destination node for pod-to-pod probes; the same node twice is a same-node pair. */
public record NodePair(String from, String to) {

    public NodePair {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public boolean sameNode() {
        return from.equals(to);
    }

    @Override
    public String toString() {
        return from + "→" + to + (sameNode() ? " (same)" : " (cross)");
    }
}
