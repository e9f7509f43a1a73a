package io.netconform.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;

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
}
