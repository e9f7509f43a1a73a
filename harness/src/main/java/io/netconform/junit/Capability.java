package io.netconform.junit;

/**
 * What a suite may need from the cluster beyond plain pod networking. Declared with {@link Requires}; probed
 * once per run, when a test first needs it ({@link Capabilities}); a test whose capability is missing is skipped
 * saying which one and why.
 */
public enum Capability {
    /** SCTP associations between pods (the kernel's sctp module, a CNI that carries it). */
    SCTP("SCTP between pods"),
    /** Pods with an IPv6 address. */
    IPV6("IPv6 pod addresses"),
    /** Two schedulable nodes, for cross-node paths. */
    TWO_NODES("two schedulable nodes"),
    /** The CNI enforces Kubernetes NetworkPolicy; with {@code --require-policy} a missing one fails instead. */
    NETWORK_POLICY("NetworkPolicy enforcement"),
    /** The API server serves ClusterNetworkPolicy (policy.networking.k8s.io, network-policy-api CRDs). */
    CLUSTER_NETWORK_POLICY("the ClusterNetworkPolicy API"),
    /** Admission lets the harness create hostNetwork pods (Pod Security "privileged" or no enforcement). */
    HOST_NETWORK("hostNetwork pods admitted"),
    /** Admission lets the harness create NodePort Services. */
    NODE_PORT("NodePort Services"),
    /** Multus is installed (secondary interfaces). */
    MULTUS("Multus");

    private final String label;

    Capability(String label) {
        this.label = label;
    }

    /** For people: "SCTP between pods". */
    public String label() {
        return label;
    }
}
