package io.netconform.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Objects;

/**
 * One measured path: from a client pod to a server pod, on the same node or across nodes, over one IP
 * family, between pods on the pod network or on the host network.
 *
 * <p>{@link #key()} leaves the pod names out: it is what makes a row comparable across clusters,
 * where pods have other names.
 */
public record BenchPath(String from, String to, Placement placement, IpFamily ipFamily, Network network) {

    public enum Placement { SAME_NODE, CROSS_NODE }

    public enum IpFamily { IPV4, IPV6 }

    public enum Network { POD, HOST }

    public BenchPath {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(ipFamily, "ipFamily");
        Objects.requireNonNull(network, "network");
    }

    /** e.g. {@code cross-node ipv4 pod}: the row label, identical on every cluster. */
    @JsonIgnore
    public String key() {
        return (placement == Placement.SAME_NODE ? "same-node" : "cross-node") + " "
                + ipFamily.name().toLowerCase() + " " + network.name().toLowerCase() + "-net";
    }

    @Override
    public String toString() {
        return key() + " (" + from + " -> " + to + ")";
    }
}
