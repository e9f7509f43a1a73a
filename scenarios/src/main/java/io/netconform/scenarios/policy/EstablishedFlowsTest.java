package io.netconform.scenarios.policy;

import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.EstablishedFlows;
import io.netconform.junit.Capability;
import io.netconform.junit.Requires;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a policy change does to connections that are already open: "implementation defined" in the Kubernetes docs
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/), and CNIs differ — a conntrack-first
 * datapath keeps established flows, others cut them. Reported as a fact per CNI; a failure only with
 * --require-revocation (or when new connections are not blocked, which is plain non-enforcement).
 */
@ConformanceSuite
@Tag("policy")
@Tag("policy-established")
@Requires(Capability.NETWORK_POLICY)
@Order(11)
@DisplayName("policy: open connections")
class EstablishedFlowsTest {

    static final Port TCP = Port.tcp(8080);
    static final Port UDP = Port.udp(8081);
    static final Topology APP = Topology.of("app/server", "app/client").serving(TCP, UDP);

    @Test
    @DisplayName("a deny applied while TCP and UDP flows are open: do they stop, and when")
    void denyAppliedToOpenFlows(Scenario scenario) {
        scenario.deploy(APP);
        EstablishedFlows flows = EstablishedFlows.open(scenario, "app/client", "app/server", TCP, UDP);
        scenario.apply("established/deny-server.yaml");
        flows.judge("deny applied");
    }

    @Test
    @DisplayName("the allow of open TCP and UDP flows removed: do they stop, and when")
    void allowRemovedFromOpenFlows(Scenario scenario) {
        scenario.deploy(APP);
        // the server is isolated from the start and the client allowed in, so removing the allow is the only change
        scenario.apply("established/allow-client.yaml");
        EstablishedFlows flows = EstablishedFlows.open(scenario, "app/client", "app/server", TCP, UDP);
        scenario.remove("app/server-allow-client");
        flows.judge("allow removed");
    }
}
