package io.netconform.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a fixture or a {@code predict --policies} input holds: namespaced v1 NetworkPolicies and cluster-scoped
 * policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy), each in file order.
 */
public record Policies(List<NetworkPolicy> networkPolicies, List<ClusterPolicy> clusterPolicies) {

    public Policies {
        networkPolicies = List.copyOf(networkPolicies);
        clusterPolicies = List.copyOf(clusterPolicies);
    }

    public static Policies of(List<NetworkPolicy> networkPolicies) {
        return new Policies(networkPolicies, List.of());
    }

    public Policies plus(Policies more) {
        List<NetworkPolicy> np = new ArrayList<>(networkPolicies);
        np.addAll(more.networkPolicies);
        List<ClusterPolicy> cp = new ArrayList<>(clusterPolicies);
        cp.addAll(more.clusterPolicies);
        return new Policies(np, cp);
    }

    public boolean isEmpty() {
        return networkPolicies.isEmpty() && clusterPolicies.isEmpty();
    }

    /**
     * What the NetworkPolicies do per direction, read as the oracle reads them (policyTypes defaulted as the API server
     * does): {@code ingress-isolated} when one isolates ingress, {@code ingress-rule-no-peers} when one of those has a
     * rule that allows every peer; the same for egress. The sweep tags its cases with these.
     */
    public Set<String> effects() {
        Set<String> effects = new TreeSet<>();
        for (NetworkPolicy policy : networkPolicies) {
            CompiledPolicy compiled = CompiledPolicy.compile(policy);
            effects(effects, "ingress", compiled.ingress, compiled.ingressRules);
            effects(effects, "egress", compiled.egress, compiled.egressRules);
        }
        return effects;
    }

    private static void effects(Set<String> effects, String direction, boolean isolated, List<CompiledPolicy.Rule> rules) {
        if (isolated) {
            effects.add(direction + "-isolated");
            if (rules.stream().anyMatch(CompiledPolicy.Rule::anyPeer)) {
                effects.add(direction + "-rule-no-peers");
            }
        }
    }
}
