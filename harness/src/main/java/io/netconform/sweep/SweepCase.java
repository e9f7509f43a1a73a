package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One generated case: policies applied to the sweep model, optionally followed by one action (a pod or namespace
 * relabelled, a policy updated or deleted); the cluster is checked after the policies and again after the action.
 *
 * @param number   1-based position in the sweep
 * @param tags     the dimensions this case exercises (e.g. {@code types-egress}, {@code port-named}); mismatches are
 *                 grouped by them
 * @param policies        in logical namespaces (x, y, z)
 * @param clusterPolicies ClusterNetworkPolicies, selecting by the model's labels (the runner confines them to the run)
 * @param action          null when the case has none
 */
public record SweepCase(int number, long seed, SortedSet<String> tags, List<NetworkPolicy> policies,
                        List<ClusterPolicy> clusterPolicies, Action action) {

    public SweepCase {
        tags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tags));
        policies = List.copyOf(policies);
        clusterPolicies = List.copyOf(clusterPolicies);
    }

    public SweepCase(int number, long seed, SortedSet<String> tags, List<NetworkPolicy> policies, Action action) {
        this(number, seed, tags, policies, List.of(), action);
    }

    /** What changes between the two checks of a case. */
    public enum ActionKind {
        POD_LABEL("action-pod-label"), NAMESPACE_LABEL("action-ns-label"), POLICY_UPDATE("action-policy-update"),
        POLICY_DELETE("action-policy-delete"),
        /** A ClusterNetworkPolicy deleted mid-case: its rules must stop applying while the case's others stay. */
        CLUSTER_POLICY_DELETE("action-cnp-delete");

        private final String tag;

        ActionKind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /**
     * @param target a pod ({@code ns/pod}), a namespace, a policy ({@code ns/name}) or a ClusterNetworkPolicy (its name
     *               in the case), by kind
     * @param labels the labels set on the pod or namespace (relabel kinds)
     * @param policy the replacement (update)
     */
    public record Action(ActionKind kind, String target, Map<String, String> labels, NetworkPolicy policy) {

        public Action {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        public Topology applyTo(Topology topology) {
            return switch (kind) {
                case POD_LABEL -> topology.withPodLabels(target, labels);
                case NAMESPACE_LABEL -> topology.withNamespaceLabels(target, labels);
                default -> topology;
            };
        }

        public List<NetworkPolicy> applyTo(List<NetworkPolicy> policies) {
            if (kind == ActionKind.CLUSTER_POLICY_DELETE) {
                return policies;
            }
            List<NetworkPolicy> out = new ArrayList<>();
            for (NetworkPolicy p : policies) {
                if (!id(p).equals(target)) {
                    out.add(p);
                } else if (kind == ActionKind.POLICY_UPDATE) {
                    out.add(policy);
                }
            }
            return out;
        }

        /** The case's cluster policies after the action. */
        public List<ClusterPolicy> applyToClusterPolicies(List<ClusterPolicy> policies) {
            return kind != ActionKind.CLUSTER_POLICY_DELETE ? policies
                    : policies.stream().filter(p -> !p.name().equals(target)).toList();
        }

        public String describe() {
            return switch (kind) {
                case POD_LABEL -> "relabel pod " + target + " " + labels;
                case NAMESPACE_LABEL -> "relabel namespace " + target + " " + labels;
                case POLICY_UPDATE -> "update policy " + target;
                case POLICY_DELETE -> "delete policy " + target;
                case CLUSTER_POLICY_DELETE -> "delete ClusterNetworkPolicy " + target;
            };
        }
    }

    static String id(NetworkPolicy p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    /** {@code case-007}: stable for a seed, so a failing case can be rerun alone with {@code --only 7}. */
    public String name() {
        return String.format("case-%03d", number);
    }

    /** The case as a person reads it: a comment header (tags, action) and the policies as kubectl-appliable YAML. */
    public String yaml() {
        StringBuilder y = new StringBuilder();
        y.append("# ").append(name()).append(" (seed ").append(seed).append("): ").append(String.join(", ", tags)).append('\n');
        if (action != null) {
            y.append("# then: ").append(action.describe()).append('\n');
        }
        for (NetworkPolicy p : policies) {
            y.append(Serialization.asYaml(p));
        }
        for (ClusterPolicy p : clusterPolicies) {
            y.append(Serialization.asYaml(p.resource()));
        }
        if (action != null && action.kind() == ActionKind.POLICY_UPDATE) {
            y.append("# the update replaces ").append(action.target()).append(" with:\n").append(Serialization.asYaml(action.policy()));
        }
        return y.toString();
    }
}
