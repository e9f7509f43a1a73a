package io.netconform.scenarios.clusterpolicy;

import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.RequiresClusterPolicyApi;
import io.netconform.junit.Capability;
import io.netconform.junit.Requires;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The v1alpha1 generation, AdminNetworkPolicy and BaselineAdminNetworkPolicy, still what several CNIs serve. Skips with
 * the reason where the API server does not serve it, or where the cluster already has its own (singleton) baseline.
 */
@ConformanceSuite
@Tag("clusterpolicy")
@RequiresClusterPolicyApi({"AdminNetworkPolicy", "BaselineAdminNetworkPolicy"})
@Requires(Capability.NETWORK_POLICY)
@Order(21)
@DisplayName("cluster policy: AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1")
class AdminNetworkPolicyTest {

    static final Port HTTP = Port.tcp(80);

    @Test
    @DisplayName("ANP Pass reaches the BANP; ANP Allow decides before it")
    void passToBaselineAndAllow(Scenario scenario) {
        Topology topology = Topology.of("x/a", "x/b", "y/a", "y/b").serving(HTTP);
        scenario.deploy(topology).apply("clusterpolicy/v1alpha1-anp-banp.yaml");

        // x/a: passed, then denied by the baseline; x/b: allowed by the ANP
        scenario.verifyDropped(HTTP, Reachability.allAllowed(topology, HTTP)
                .deny("x/a", "y/*"));
    }
}
