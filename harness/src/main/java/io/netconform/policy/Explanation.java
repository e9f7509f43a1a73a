package io.netconform.policy;

import java.util.List;

/**
 * Why one direction (the destination's ingress, or the source's egress) allows or blocks a flow.
 *
 * @param isolated           whether any policy selecting the pod has this policyType
 * @param isolatingPolicies  those policies, as {@code ns/name}, in the order they were given
 * @param allowedBy          the first rule that allows the flow ({@code ns/name ingress rule 0, peer 1 (…)}),
 *                           or null when none does (or the pod is not isolated)
 * @param summary            one line for a person: "not isolated …", "allowed by …", or "no rule allows …"
 */
public record Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, String summary) {

    public Explanation {
        isolatingPolicies = List.copyOf(isolatingPolicies);
    }

    /** This direction lets the flow through: the pod is not isolated, or a rule allows it. */
    public boolean allows() {
        return !isolated || allowedBy != null;
    }

    @Override
    public String toString() {
        return summary;
    }
}
