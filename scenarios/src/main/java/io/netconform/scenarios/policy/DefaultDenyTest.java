package io.netconform.scenarios.policy;

import io.netconform.junit.PolicySuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** A policy that selects every pod of a namespace and allows nothing closes that namespace in its direction. */
@PolicySuite
@Order(20)
@DisplayName("policy: default deny")
class DefaultDenyTest {

    static final Port HTTP = Port.tcp(8080);
    static final Port DNS_UDP = Port.udp(53);
    static final Port DNS_TCP = Port.tcp(53);
    // one deployment for both cases (they differ only in policies): two backend pods, because a policy must also cut
    // traffic inside its own namespace; frontend/web: a client from outside, and a destination the policy must not
    // touch. Pods serve 53 so "blocked" on the DNS ports is a policy verdict, not an absent listener.
    static final Topology FRONT_AND_BACK = Topology.of("frontend/web", "backend/api", "backend/db")
            .serving(HTTP, DNS_UDP, DNS_TCP);

    @Test
    @DisplayName("deny-all ingress closes the namespace to everyone, its own pods included")
    void denyAllIngress(Scenario scenario) {
        Topology topology = FRONT_AND_BACK;
        scenario.deploy(topology).apply("default-deny/ingress.yaml");

        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("backend/*"));
    }

    @Test
    @DisplayName("deny-all egress lets nothing out, DNS-shaped traffic (UDP and TCP 53) included")
    void denyAllEgress(Scenario scenario) {
        // egress inside the backend namespace is cut too; frontend/web's own egress stays open. Resolving names
        // through the cluster DNS under this policy is the DNS suite's case.
        Topology topology = FRONT_AND_BACK;
        scenario.deploy(topology).apply("default-deny/egress.yaml");

        for (Port port : new Port[] {HTTP, DNS_UDP, DNS_TCP}) {
            scenario.verify(port, Reachability.allAllowed(topology, port)
                    .denyEgressFrom("backend/*"));
        }
    }
}
