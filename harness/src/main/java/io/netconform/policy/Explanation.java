package io.netconform.policy;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Why one direction (the destination's ingress, or the source's egress) allows or blocks a flow.
 * <ul>
 * <li>{@code isolated}: whether any NetworkPolicy selecting the pod has this policyType</li>
 * <li>{@code isolatingPolicies}: those policies, as {@code ns/name}, in the order they were given</li>
 * <li>{@code allowedBy}: the first rule that allows the flow ({@code ns/name ingress rule 0, peer 1 (…)}, or a
 *     cluster policy's Accept/Allow rule), or null when none does (or nothing applies)</li>
 * <li>{@code summary}: one line for a person: "not isolated …", "allowed by …", "no rule allows …", or, when a
 *     cluster policy selects the pod, the tiers walked joined by " → "</li>
 * <li>{@code allows}: whether this direction lets the flow through</li>
 * <li>{@code steps}: the tiers walked, one line each ({@code Admin ClusterNetworkPolicy sec rule "deny-db" Pass},
 *     {@code NetworkPolicy backend/db-allows-api allows (…)}, …); empty when only NetworkPolicy applies</li>
 * </ul>
 * A value class rather than a record so that the summary can be written only when someone reads it: {@code predict}
 * explains hundreds of thousands of flows and its JSON carries the policy and rule references, not the prose.
 */
public final class Explanation {

    private final boolean isolated;
    private final List<String> isolatingPolicies;
    private final String allowedBy;
    private final boolean allows;
    private final List<String> steps;
    private Supplier<String> summarize;
    private String summary;

    public Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, String summary,
                       boolean allows, List<String> steps) {
        this(isolated, isolatingPolicies, allowedBy, () -> summary, allows, steps);
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /** NetworkPolicy only: the direction allows when the pod is not isolated or a rule allows. */
    public Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, String summary) {
        this(isolated, isolatingPolicies, allowedBy, summary, !isolated || allowedBy != null, List.of());
    }

    /** NetworkPolicy only, the summary written when first read. */
    Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, Supplier<String> summary) {
        this(isolated, isolatingPolicies, allowedBy, summary, !isolated || allowedBy != null, List.of());
    }

    private Explanation(boolean isolated, List<String> isolatingPolicies, String allowedBy, Supplier<String> summary,
                        boolean allows, List<String> steps) {
        this.isolated = isolated;
        this.isolatingPolicies = List.copyOf(isolatingPolicies);
        this.allowedBy = allowedBy;
        this.summarize = summary;
        this.allows = allows;
        this.steps = List.copyOf(steps);
    }

    public boolean isolated() {
        return isolated;
    }

    public List<String> isolatingPolicies() {
        return isolatingPolicies;
    }

    public String allowedBy() {
        return allowedBy;
    }

    public synchronized String summary() {
        if (summary == null) {
            summary = summarize.get();
            summarize = null;
        }
        return summary;
    }

    public boolean allows() {
        return allows;
    }

    public List<String> steps() {
        return steps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Explanation e && isolated == e.isolated && allows == e.allows
                && isolatingPolicies.equals(e.isolatingPolicies) && Objects.equals(allowedBy, e.allowedBy)
                && steps.equals(e.steps) && summary().equals(e.summary());
    }

    @Override
    public int hashCode() {
        return Objects.hash(isolated, isolatingPolicies, allowedBy, summary(), allows, steps);
    }

    @Override
    public String toString() {
        return summary();
    }
}
