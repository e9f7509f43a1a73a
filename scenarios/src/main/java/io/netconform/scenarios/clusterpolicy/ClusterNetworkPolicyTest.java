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
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): tiers, actions, priorities and peers, each with a
 * namespaced NetworkPolicy where the interplay is the point. Cases skip with "ClusterNetworkPolicy API not installed"
 * where the API server does not serve the kind. Two tenants x and y with pods a and b: y is the subject, x the
 * outsider, and y's second pod shows what happens to pods a rule does not name.
 */
@ConformanceSuite
@Tag("clusterpolicy")
@RequiresClusterPolicyApi("ClusterNetworkPolicy")
@Requires(Capability.NETWORK_POLICY)
// @Order ranks suites by length, longest first (SuiteGate): side by side, a run ends when its longest suite does
@Order(10)
@DisplayName("cluster policy: ClusterNetworkPolicy v1alpha2")
class ClusterNetworkPolicyTest {

    static final Port HTTP = Port.tcp(80);
    static final Port OTHER = Port.tcp(81);
    static final Port UDP_5353 = Port.udp(5353);
    static final Port TCP_5353 = Port.tcp(5353);
    // one deployment for every case but SCTP (only policies change between them): every pod serves every case's
    // ports, and only y/a calls TCP/80 "http" (y/b serves the same number unnamed: the named-port case)
    static final Topology XY = Topology.of("x/a", "x/b", "y/a", "y/b")
            .serving(HTTP, OTHER, UDP_5353, TCP_5353)
            .servingOn("y/a", HTTP.named("http"), OTHER, UDP_5353, TCP_5353);

    @Test
    @DisplayName("Admin Deny: a NetworkPolicy that allows everything cannot override it")
    void adminDenyBeatsNetworkPolicy(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/admin-deny.yaml");

        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .deny("x/*", "y/*"));
    }

    @Test
    @DisplayName("Admin Accept opens chosen ports through a namespaced default-deny, on TCP and UDP")
    void adminAcceptThroughDefaultDeny(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/admin-accept.yaml");

        for (Port accepted : new Port[] {HTTP, UDP_5353}) {
            scenario.verify(accepted, Reachability.allAllowed(XY, accepted)
                    .denyIngressTo("y/*")
                    .allow("x/*", "y/*"));
        }
        // not accepted: y's default-deny decides
        scenario.verifyDropped(OTHER, Reachability.allAllowed(XY, OTHER)
                .denyIngressTo("y/*"));
    }

    @Test
    @DisplayName("Pass skips the rest of the Admin tier and hands over to NetworkPolicy")
    void passHandsOverToNetworkPolicy(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/pass-to-networkpolicy.yaml");

        // y's policy isolates y/*: x/a gets in by it, y's own pods and x/b do not
        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .denyIngressTo("y/*")
                .allow("x/a", "y/*"));
    }

    @Test
    @DisplayName("Pass without a NetworkPolicy reaches the Baseline tier")
    void passHandsOverToBaseline(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/pass-to-baseline.yaml");

        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .deny("x/*", "y/*"));
    }

    @Test
    @DisplayName("lower priority number first, then rule order inside a policy")
    void priorityThenRuleOrder(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/priority.yaml");

        // x/a: accepted at priority 5; pod b anywhere: accepted by the first rule at 50; the rest denied
        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .denyIngressTo("y/*")
                .allow("x/a", "y/*")
                .allow("x/b", "y/*")
                .allow("y/b", "y/a"));
    }

    @Test
    @DisplayName("Baseline is hidden, per direction, by a NetworkPolicy that isolates the pod")
    void baselineOnlyWhereNoNetworkPolicyIsolates(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/baseline-behind-networkpolicy.yaml");

        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .denyIngressTo("y/*")
                .allow("x/*", "y/a"));
    }

    @Test
    @DisplayName("a networks peer covers pod addresses: Deny of the private ranges cuts pod-to-pod traffic")
    void networksPeerCoversPodCidrs(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/egress-networks.yaml");

        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .denyEgressFrom("x/a")
                .allow("x/a", "y/*"));
    }

    @Test
    @DisplayName("destinationNamedPort resolves per destination pod")
    void namedPort(Scenario scenario) {
        // only y/a calls TCP/80 "http"; y/b serves the same number unnamed
        scenario.deploy(XY).apply("clusterpolicy/named-port.yaml");

        scenario.verifyDropped(HTTP, Reachability.allAllowed(XY, HTTP)
                .denyIngressTo("y/a"));
    }

    @Test
    @DisplayName("protocols: a UDP port range is denied, TCP on the same number is not")
    void protocolsAreMatchedSeparately(Scenario scenario) {
        scenario.deploy(XY).apply("clusterpolicy/protocols.yaml");

        scenario.verify(UDP_5353, Reachability.allAllowed(XY, UDP_5353).deny("x/*", "y/*"));
        scenario.verify(TCP_5353, Reachability.allAllowed(XY, TCP_5353));
    }

    @Test
    @Requires(Capability.SCTP)
    @DisplayName("protocols: SCTP is denied by its own entry")
    void sctp(Scenario scenario) {
        Port sctp = Port.sctp(80);
        // a deployment of its own: @Requires(SCTP) skips with the reason where pods cannot serve SCTP (e.g. a kernel
        // without SCTP sockets), and the other cases must still deploy there
        Topology topology = XY.serving(sctp);
        scenario.deploy(topology).apply("clusterpolicy/protocols.yaml");

        scenario.verifyDropped(sctp, Reachability.allAllowed(topology, sctp).deny("x/*", "y/*"));
    }
}
