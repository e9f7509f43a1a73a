package io.netconform.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: policies written as YAML, expected grids written out by hand. */
final class PolicyCases {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PolicyCases() {
    }

    static NetworkPolicy policy(String yaml) {
        return SERIALIZATION.unmarshal("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + yaml, NetworkPolicy.class);
    }

    /** Full documents (apiVersion and kind included) of any kind the oracle reads: NetworkPolicy or cluster-scoped. */
    static PolicyOracle mixed(Topology topology, String... documents) {
        List<NetworkPolicy> networkPolicies = new java.util.ArrayList<>();
        List<ClusterPolicy> clusterPolicies = new java.util.ArrayList<>();
        for (String document : documents) {
            Object parsed = SERIALIZATION.unmarshal(document);
            if (parsed instanceof NetworkPolicy np) {
                networkPolicies.add(np);
            } else {
                clusterPolicies.add(clusterPolicy(document));
            }
        }
        return new PolicyOracle(topology, networkPolicies, clusterPolicies);
    }

    static ClusterPolicy clusterPolicy(String document) {
        return ClusterPolicy.compile(SERIALIZATION.unmarshal(document,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
    }

    static PolicyOracle oracle(Topology topology, String... policyYamls) {
        return new PolicyOracle(topology, Arrays.stream(policyYamls).map(PolicyCases::policy).toList());
    }

    /**
     * Asserts the predicted grid equals {@code expectedGrid} (render format; runs of spaces do not matter),
     * and that every per-pair prediction agrees with the grid (the two code paths of the oracle).
     */
    static void assertGrid(PolicyOracle oracle, Port port, String expectedGrid) {
        Reachability predicted = oracle.reachability(port);
        assertThat(normalize(predicted.render())).as("predicted grid on %s", port).isEqualTo(normalize(expectedGrid));
        List<Prediction> all = oracle.predictAll(port);
        assertThat(all).hasSize(predicted.pairs().size());
        for (Prediction prediction : all) {
            assertThat(prediction.allowed())
                    .as("predict(%s, %s) agrees with the grid: %s", prediction.from(), prediction.to(), prediction.why())
                    .isEqualTo(predicted.get(prediction.from(), prediction.to()) == Reachability.State.ALLOWED);
        }
    }

    static String normalize(String grid) {
        return grid.lines().map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
