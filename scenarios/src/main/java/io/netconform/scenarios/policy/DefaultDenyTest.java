package io.netconform.scenarios.policy;

import io.netconform.junit.PolicySuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A policy that selects every pod of a namespace and allows nothing closes that namespace in its direction. */
@PolicySuite
@DisplayName("policy: default deny")
class DefaultDenyTest {

    static final Port HTTP = Port.tcp(8080);
    static final Port DNS_UDP = Port.udp(53);
    static final Port DNS_TCP = Port.tcp(53);

    @Test
    @DisplayName("deny-all ingress closes the namespace to everyone, its own pods included")
    void denyAllIngress(Scenario scenario) {
        // two backend pods: the policy must also cut traffic inside its own namespace;
        // frontend/web: a client from outside, and a destination the policy must not touch
        Topology topology = Topology.of("frontend/web", "backend/api", "backend/db").serving(HTTP);
        scenario.deploy(topology).apply("default-deny/ingress.yaml");

        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("backend/*"));
    }

    @Test
    @DisplayName("deny-all egress lets nothing out, DNS-shaped traffic (UDP and TCP 53) included")
    void denyAllEgress(Scenario scenario) {
        // two backend pods: egress inside the namespace is cut too; frontend/web: outside destination and a client
        // whose own egress stays open. Pods serve 53 so "blocked" on the DNS ports is a policy verdict, not an
        // absent listener; resolving names through the cluster DNS under this policy is the DNS suite's case.
        Topology topology = Topology.of("frontend/web", "backend/api", "backend/db")
                .serving(HTTP, DNS_UDP, DNS_TCP);
        scenario.deploy(topology).apply("default-deny/egress.yaml");

        for (Port port : new Port[] {HTTP, DNS_UDP, DNS_TCP}) {
            scenario.verify(port, Reachability.allAllowed(topology, port)
                    .denyEgressFrom("backend/*"));
        }
    }
}
