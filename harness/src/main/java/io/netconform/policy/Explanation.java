package io.netconform.policy;

import java.util.List;

/**
 * Why one direction (the destination's ingress, or the source's egress) allows or blocks a flow.
 *
 * @param isolated           whether any NetworkPolicy selecting the pod has this policyType
 * @param isolatingPolicies  those policies, as {@code ns/name}, in the order they were given
 * @param allowedBy          the first rule that allows the flow ({@code ns/name ingress rule 0, peer 1 (…)}, or a
 *                           cluster policy's Accept/Allow rule), or null when none does (or nothing applies)
 * @param summary            one line for a person: "not isolated …", "allowed by …", "no rule allows …", or, when a
 *                           cluster policy selects the pod, the tiers walked joined by " → "
 * @param allows             whether this direction lets the flow through
 * @param steps              the tiers walked, one line each ({@code Admin ClusterNetworkPolicy sec rule "deny-db"
 *                           Pass}, {@code NetworkPolicy backend/db-allows-api allows (…)}, …); empty when only
 *                           NetworkPolicy applies
 */
public record Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, String summary,
                          boolean allows, List<String> steps) {

    public Explanation {
        isolatingPolicies = List.copyOf(isolatingPolicies);
        steps = List.copyOf(steps);
    }

    /** NetworkPolicy only: the direction allows when the pod is not isolated or a rule allows. */
    public Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, String summary) {
        this(isolated, isolatingPolicies, allowedBy, summary, !isolated || allowedBy != null, List.of());
    }

    @Override
    public String toString() {
        return summary;
    }
}
