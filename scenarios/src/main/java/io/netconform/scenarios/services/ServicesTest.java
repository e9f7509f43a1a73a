package io.netconform.scenarios.services;

import io.fabric8.kubernetes.api.model.Service;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Fleet;
import io.netconform.junit.Scenario;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.service.OncePerSuite;
import io.netconform.service.Requires;
import io.netconform.service.ServiceBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Services as traffic from outside and inside the cluster meets them: NodePort on every node (including nodes that
 * run no endpoint, which must forward), externalTrafficPolicy Local (client source IP kept, nodes without a local
 * endpoint silent, healthCheckNodePort 200 / 503), internalTrafficPolicy Local, session affinity ClientIP and
 * hostPort. How fast the dataplane follows Service changes is in {@link ServiceDynamicsTest}.
 *
 * <p>The only endpoint of the single-backend Services runs on the first sampled node; "from a node" means from a
 * hostNetwork pod on it (its traffic is the node's), skipped with the reason where admission refuses hostNetwork.
 */
@ConformanceSuite
@Isolated // node-wide ports (NodePort, hostPort) and timing; runs alone when suites go side by side
@Order(4)
@Tag("services")
@DisplayName("services")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServicesTest {

    private final OncePerSuite<ServiceBed> bed = new OncePerSuite<>();

    private ServiceBed bed(Scenario scenario) {
        return bed.get(() -> Report.step("deploy whoami backends", () -> ServiceBed.deploy(scenario.run(), "services")));
    }

    @AfterAll
    void deleteBed() throws Exception {
        bed.close();
    }

    @TestFactory
    @DisplayName("NodePort from every node")
    Stream<DynamicTest> nodePort(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        Service svc = bed.create(bed.service("nodeport", ServiceBed.ONE).editSpec().withType("NodePort").endSpec());
        bed.awaitEndpoints("nodeport", 1);
        String endpoint = bed.endpoint().name();
        List<Expectation> expectations = new ArrayList<>();
        for (Fleet.Member client : clients(scenario, bed)) {
            for (String node : scenario.run().placement().nodes()) {
                String where = node.equals(bed.endpoint().node()) ? "endpoint on that node" : "no endpoint on that node";
                for (var port : svc.getSpec().getPorts()) {
                    WhoamiProbe probe = "UDP".equals(port.getProtocol())
                            ? WhoamiProbe.udp(bed.nodeIp(node), port.getNodePort(), scenario.probeTimeout())
                            : WhoamiProbe.tcp(bed.nodeIp(node), port.getNodePort(), scenario.probeTimeout());
                    expectations.add(Expectation.answeredBy("NodePort " + port.getProtocol() + " from " + client
                                    + " to " + node + ":" + port.getNodePort() + " (" + where + ")",
                            client.ref(), probe, node + ":" + port.getNodePort(), endpoint));
                }
            }
        }
        return Stream.concat(Expectation.checks(scenario, expectations), hostNetworkSkipped(bed));
    }

    @TestFactory
    @DisplayName("externalTrafficPolicy Local")
    Stream<DynamicTest> externalTrafficPolicyLocal(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        Service svc = bed.create(bed.service("local", ServiceBed.ONE).editSpec().withType("NodePort")
                .withExternalTrafficPolicy("Local").endSpec());
        bed.awaitEndpoints("local", 1);
        Stream<DynamicTest> health = Expectation.orSkipped("healthCheckNodePort",
                () -> healthCheckNodePort(scenario, bed, HealthCheck.loadBalancer(scenario, bed)).stream());
        return Stream.concat(health, Expectation.orSkipped("external client", () -> externalClients(scenario, bed, svc)));
    }

    /**
     * A hostNetwork pod on another node is an external client of the endpoint's node: its traffic comes from that
     * node's IP, which is neither local to the endpoint's node nor in the pod CIDR, so kube-proxy applies Local to it.
     */
    private static Stream<DynamicTest> externalClients(Scenario scenario, ServiceBed bed, Service svc) {
        Requires.twoNodes(scenario.run(), "a client outside the endpoint's node and a node without a local endpoint");
        Map<String, Fleet.Member> nodes = bed.hostNetworkPods();
        String home = bed.endpoint().node();
        String other = scenario.run().placement().nodes().stream().filter(n -> !n.equals(home)).findFirst().orElseThrow();
        List<Expectation> expectations = new ArrayList<>();
        for (var port : svc.getSpec().getPorts()) {
            WhoamiProbe toHome = probe(port.getProtocol(), bed.nodeIp(home), port.getNodePort(), scenario);
            WhoamiProbe toOther = probe(port.getProtocol(), bed.nodeIp(other), port.getNodePort(), scenario);
            expectations.add(Expectation.answeredBy("client IP preserved: " + port.getProtocol() + " from node " + other
                            + " to " + home + ":" + port.getNodePort(), nodes.get(other).ref(), toHome,
                    home + ":" + port.getNodePort(), bed.endpoint().name()).andSeenFrom(bed.nodeIp(other)));
            expectations.add(Expectation.notAnswered("no answer from a node without a local endpoint: "
                    + port.getProtocol() + " from node " + home + " to " + other + ":" + port.getNodePort(),
                    nodes.get(home).ref(), toOther, other + ":" + port.getNodePort()));
        }
        return Expectation.checks(scenario, expectations);
    }

    /**
     * kube-proxy's health check answers 200 where the Service has a local endpoint and 503 elsewhere (#66354); only
     * LoadBalancer Services get a healthCheckNodePort.
     */
    private static List<DynamicTest> healthCheckNodePort(Scenario scenario, ServiceBed bed, Service svc) {
        Integer port = svc.getSpec().getHealthCheckNodePort();
        Fleet.Member client = scenario.fleet().probes().get(0);
        List<DynamicTest> checks = new ArrayList<>();
        for (String node : scenario.run().placement().nodes()) {
            int want = node.equals(bed.endpoint().node()) ? 200 : 503;
            String what = "healthCheckNodePort " + node + ":" + port + " answers " + want;
            checks.add(dynamicTest(what, () -> {
                if (port == null || port == 0) {
                    // nothing was probed: the Service object is the evidence
                    throw CheckFailure.of(FailureKind.SERVICE, "the API server gave Service " + bed.namespace()
                            + "/local no healthCheckNodePort").reproduce("kubectl get service -n " + bed.namespace()
                            + " local -o yaml");
                }
                Probe http = Probe.http(bed.nodeIp(node), port, scenario.probeTimeout());
                ProbeResult r = scenario.probeUntil(client.ref(), http,
                        p -> p.metrics().getOrDefault("http_code", 0.0) == want);
                scenario.expect(r, Verdict.ALLOWED, what, FailureKind.UNEXPECTED_DROP);
                double got = r.metrics().getOrDefault("http_code", 0.0);
                if (got != want) {
                    throw scenario.failure(CheckFailure.of(FailureKind.SERVICE, what + ": got HTTP " + (int) got)
                            .reproduce(r.reproduce()), List.of(client.ref()));
                }
            }));
        }
        return checks;
    }

    @TestFactory
    @DisplayName("internalTrafficPolicy Local")
    Stream<DynamicTest> internalTrafficPolicyLocal(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        Service svc = bed.create(bed.service("internal-local", ServiceBed.ONE).editSpec()
                .withInternalTrafficPolicy("Local").endSpec());
        Requires.that(svc.getSpec().getInternalTrafficPolicy() != null, "spec.internalTrafficPolicy",
                "the API server (Kubernetes " + scenario.run().cluster().kubernetesVersion() + ") dropped the field: "
                        + "it exists from 1.21 behind the ServiceInternalTrafficPolicy feature gate, on by default from 1.22");
        bed.awaitEndpoints("internal-local", 1);
        List<Expectation> expectations = new ArrayList<>();
        for (Fleet.Member client : scenario.fleet().probes()) {
            WhoamiProbe probe = WhoamiProbe.tcp(svc.getSpec().getClusterIP(), 8080, scenario.probeTimeout());
            String key = "ClusterIP from " + client;
            expectations.add(client.node().equals(bed.endpoint().node())
                    ? Expectation.answeredBy(key + " (local endpoint)", client.ref(), probe, "internal-local",
                    bed.endpoint().name())
                    : Expectation.notAnswered(key + " (no local endpoint: no answer)", client.ref(), probe,
                    "internal-local"));
        }
        return Expectation.checks(scenario, expectations);
    }

    @TestFactory
    @DisplayName("session affinity ClientIP")
    Stream<DynamicTest> sessionAffinity(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        Service svc = bed.create(bed.service("sticky", ServiceBed.PAIR).editSpec().withSessionAffinity("ClientIP")
                .endSpec());
        // with one endpoint every client would "stick": the check proves something only with two
        bed.awaitEndpoints("sticky", 2);
        return scenario.fleet().probes().stream().map(client -> dynamicTest("10 requests from " + client
                + " answered by one backend", () -> Affinity.check(scenario, client,
                WhoamiProbe.tcp(svc.getSpec().getClusterIP(), 8080, scenario.probeTimeout()), 10)));
    }

    @TestFactory
    @DisplayName("hostPort")
    Stream<DynamicTest> hostPort(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        HostPort hostPort = HostPort.deploy(scenario, bed);
        List<Expectation> expectations = new ArrayList<>();
        for (Fleet.Member client : scenario.fleet().probes()) {
            expectations.add(Expectation.answeredBy("hostPort " + hostPort.node() + ":" + hostPort.port() + " from "
                            + client, client.ref(), WhoamiProbe.tcp(bed.nodeIp(hostPort.node()), hostPort.port(),
                            scenario.probeTimeout()), hostPort.node() + ":" + hostPort.port(), hostPort.pod()));
        }
        var v = Expectation.verify(scenario, expectations);
        return Expectation.orSkipped("hostPort " + hostPort.node() + ":" + hostPort.port(), () -> {
            hostPort.requireSupported(v);
            return Expectation.checks(scenario, expectations, v);
        });
    }

    /** The pod-network clients (a netshoot pod per node) and, where admission allows, a hostNetwork pod per node. */
    private static List<Fleet.Member> clients(Scenario scenario, ServiceBed bed) {
        List<Fleet.Member> clients = new ArrayList<>(scenario.fleet().probes());
        try {
            clients.addAll(bed.hostNetworkPods().values());
        } catch (TestAbortedException e) {
            // said once by hostNetworkSkipped
        }
        return clients;
    }

    private static Stream<DynamicTest> hostNetworkSkipped(ServiceBed bed) {
        try {
            bed.hostNetworkPods();
            return Stream.empty();
        } catch (TestAbortedException e) {
            return Stream.of(dynamicTest("from the nodes themselves (hostNetwork)", () -> {
                throw e;
            }));
        }
    }

    private static WhoamiProbe probe(String protocol, String ip, int port, Scenario scenario) {
        return "UDP".equals(protocol) ? WhoamiProbe.udp(ip, port, scenario.probeTimeout())
                : WhoamiProbe.tcp(ip, port, scenario.probeTimeout());
    }
}
