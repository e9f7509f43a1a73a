package io.netconform.policy;

/**
 * The oracle's verdict on one flow, with both directions explained. A flow is allowed only when the
 * source's egress and the destination's ingress both allow it.
 *
 * @param to null for a flow to an address outside the topology ({@link PolicyOracle#predictEgressTo});
 *           {@code from} is null for a flow from such an address ({@link PolicyOracle#predictIngressFrom})
 */
public record Prediction(PodId from, PodId to, Port port, boolean allowed, Explanation ingress, Explanation egress) {

    /** The direction that decided: the blocking one (ingress first), or both summaries when allowed. */
    public String why() {
        if (allowed) {
            return "ingress: " + ingress.summary() + "; egress: " + egress.summary();
        }
        return ingress.allows() ? "egress " + egress.summary() : "ingress " + ingress.summary()
                + (egress.allows() ? "" : "; egress " + egress.summary());
    }

    @Override
    public String toString() {
        return from + " -> " + to + " " + port + ": " + (allowed ? "ALLOWED" : "BLOCKED") + " (" + why() + ")";
    }
}
