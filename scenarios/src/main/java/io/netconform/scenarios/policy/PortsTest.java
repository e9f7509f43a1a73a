package io.netconform.scenarios.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.netconform.junit.Capability;
import io.netconform.junit.PolicySuite;
import io.netconform.junit.Requires;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** What a rule's ports match: names resolved per pod, ranges, and the protocol. */
@PolicySuite
@Order(18)
@DisplayName("policy: ports")
class PortsTest {

    static final Port TCP_8080 = Port.tcp(8080);
    static final Port TCP_8090 = Port.tcp(8090);
    static final Port TCP_8091 = Port.tcp(8091);
    static final Port UDP_5353 = Port.udp(5353);
    static final Port TCP_5353 = Port.tcp(5353);
    static final Port UDP_8080 = Port.udp(8080);
    // one deployment for the endPort and UDP cases: a server, a client from its namespace and one from another, both
    // also open destinations; every pod serves both cases' ports (a port a case does not verify changes nothing)
    static final Topology SERVER_AND_CLIENTS = Topology.of("app/server", "app/client", "other/client")
            .serving(TCP_8080, TCP_8090, TCP_8091, UDP_5353, TCP_5353, UDP_8080);

    @Test
    @DisplayName("a named port allows the number each destination pod gives that name")
    void namedPortResolvesPerPod(Scenario scenario) {
        Port tcp8080 = Port.tcp(8080);
        Port tcp9090 = Port.tcp(9090);
        // app/api and app/legacy give "http-api" different numbers; other/client serves both, unnamed and unselected,
        // as a destination that stays open and a client from another namespace
        Topology topology = Topology.of("app/api", "app/legacy", "other/client")
                .serving(tcp8080, tcp9090)
                .servingOn("app/api", tcp8080.named("http-api"), tcp9090)
                .servingOn("app/legacy", tcp8080, tcp9090.named("http-api"));
        scenario.deploy(topology).apply("ports/named-port.yaml");

        scenario.verify(tcp8080, Reachability.allAllowed(topology, tcp8080)
                .denyIngressTo("app/legacy"));
        scenario.verify(tcp9090, Reachability.allAllowed(topology, tcp9090)
                .denyIngressTo("app/api"));
    }

    @Test
    @DisplayName("endPort: a range includes both ends and nothing past them")
    void endPortRange(Scenario scenario) {
        Port first = TCP_8080;
        Port last = TCP_8090;
        Port past = TCP_8091;
        // app/client: inside the namespace the rule admits; other/client: outside it, blocked on every port
        Topology topology = SERVER_AND_CLIENTS;
        scenario.deploy(topology).apply("ports/end-port.yaml");
        // an API server without endPort support drops the field and keeps a single-port rule: not a CNI verdict
        NetworkPolicyPort stored = scenario.stored("app/allow-port-range").getSpec().getIngress().get(0).getPorts().get(0);
        Assumptions.assumeTrue(stored.getEndPort() != null,
                "the API server dropped endPort from the policy (needs Kubernetes >= 1.22, or 1.21 with the NetworkPolicyEndPort gate)");

        for (Port inRange : new Port[] {first, last}) {
            scenario.verify(inRange, Reachability.allAllowed(topology, inRange)
                    .denyIngressTo("app/server")
                    .allow("app/*", "app/server"));
        }
        scenario.verify(past, Reachability.allAllowed(topology, past)
                .denyIngressTo("app/server"));
    }

    @Test
    @DisplayName("UDP: the rule's protocol counts, and a port without a protocol is TCP")
    void udpAndDefaultProtocol(Scenario scenario) {
        Port udp5353 = UDP_5353;
        Port tcp5353 = TCP_5353;
        Port tcp8080 = TCP_8080;
        Port udp8080 = UDP_8080;
        // app/client and other/client: clients from the server's namespace and another, both open destinations
        Topology topology = SERVER_AND_CLIENTS;
        scenario.deploy(topology).apply("ports/udp.yaml");

        scenario.verify(udp5353, Reachability.allAllowed(topology, udp5353));
        scenario.verify(tcp5353, Reachability.allAllowed(topology, tcp5353)
                .denyIngressTo("app/server"));
        scenario.verify(tcp8080, Reachability.allAllowed(topology, tcp8080));
        scenario.verify(udp8080, Reachability.allAllowed(topology, udp8080)
                .denyIngressTo("app/server"));
    }

    @Test
    @Requires(Capability.SCTP)
    @DisplayName("SCTP: an SCTP rule opens SCTP, not TCP on the same number")
    void sctp(Scenario scenario) {
        Port sctp9000 = Port.sctp(9000);
        Port tcp9000 = Port.tcp(9000);
        // one client is enough: SCTP support is what is in question here, not selection
        Topology topology = Topology.of("app/server", "app/client").serving(sctp9000, tcp9000);
        scenario.deploy(topology).apply("ports/sctp.yaml");

        scenario.verify(sctp9000, Reachability.allAllowed(topology, sctp9000));
        scenario.verify(tcp9000, Reachability.allAllowed(topology, tcp9000)
                .denyIngressTo("app/server"));
    }
}
