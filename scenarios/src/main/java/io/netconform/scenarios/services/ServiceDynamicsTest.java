package io.netconform.scenarios.services;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Scenario;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.Report;
import io.netconform.service.Backends;
import io.netconform.service.OncePerSuite;
import io.netconform.service.ServiceBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * How fast the dataplane follows Service changes, seen by a client on every node that keeps sending: a new Service
 * and a new endpoint reach every node within the converge timeout, a rolling restart of the backend costs no request,
 * and a UDP flow whose backend is replaced recovers although the client keeps its source port (kubernetes#48370:
 * a stale conntrack entry keeps sending to the dead pod for as long as the client keeps sending).
 */
@ConformanceSuite
@Isolated // measures Service programming latency and disruption: alone, or it measures the other suites
@Order(5)
@Tag("services")
@DisplayName("service dynamics")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceDynamicsTest {

    private final OncePerSuite<ServiceBed> bed = new OncePerSuite<>();

    private ServiceBed bed(Scenario scenario) {
        return bed.get(() -> Report.step("deploy whoami backends", () -> ServiceBed.deploy(scenario.run(), "service-dynamics")));
    }

    @AfterAll
    void deleteBed() throws Exception {
        bed.close();
    }

    @Test
    @Order(1)
    @DisplayName("Service created → its NodePort forwards on every node")
    void serviceCreated(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        // the node port is chosen here so the clients can knock on it before the Service exists
        int nodePort = bed.freeNodePort();
        Forwarding.Seen seen = Forwarding.watch(scenario, scenario.fleet().probes(),
                c -> WhoamiProbe.tcp(bed.nodeIp(c.node()), nodePort, Forwarding.ATTEMPT), seconds(scenario), "",
                "whoami " + bed.endpoint().name() + " ", () -> {
                    Instant zero = Instant.now();
                    bed.create(bed.service("created", ServiceBed.ONE).editSpec().withType("NodePort")
                            .editFirstPort().withNodePort(nodePort).endPort().endSpec());
                    return zero;
                }, () -> { });
        Forwarding.untilAnsweredBy(scenario, seen, bed.endpoint().name(), "Service created → NodePort forwards",
                scenario.run().config().convergeTimeout());
    }

    @Test
    @Order(2)
    @DisplayName("endpoint ready → every node forwards to it")
    void endpointAdded(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        Service svc = bed.create(bed.service("scaled", "netconform.io/scaled"));
        String node = scenario.run().placement().nodes().get(scenario.run().placement().nodes().size() - 1);
        Pod added = TestPods.onNode(Backends.whoami(scenario.run().images(), "added-" + node, Backends.TCP,
                Backends.UDP).editMetadata().addToLabels("netconform.io/scaled", "yes").endMetadata(), node).build();
        KubernetesClient client = scenario.run().cluster().client();
        Forwarding.Seen seen = Forwarding.watch(scenario, scenario.fleet().probes(),
                c -> WhoamiProbe.tcp(svc.getSpec().getClusterIP(), Backends.TCP, Forwarding.ATTEMPT),
                seconds(scenario) + 60, "", "whoami " + added.getMetadata().getName() + " ", () -> {
                    PodReadiness.create(client, bed.namespace(), added);
                    // a watch, not a poll: the clock starts when the pod turned ready, not up to a poll later
                    client.pods().inNamespace(bed.namespace()).withName(added.getMetadata().getName())
                            .waitUntilReady(scenario.run().config().podReadyTimeout().toSeconds(), TimeUnit.SECONDS);
                    return Instant.now();
                }, () -> { });
        Forwarding.untilAnsweredBy(scenario, seen, added.getMetadata().getName(), "endpoint ready → forwards",
                scenario.run().config().convergeTimeout());
    }

    @Test
    @Order(3)
    @DisplayName("rolling restart of the backend: no failed request")
    void rollingRestart(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        KubernetesClient client = scenario.run().cluster().client();
        Map<String, String> labels = Map.of("netconform.io/rolling", "yes");
        Deployment deployment = client.apps().deployments().inNamespace(bed.namespace())
                .resource(Backends.whoamiDeployment(scenario.run().images(), "rolling", labels, 1, 2).build()).create();
        Service svc = bed.create(bed.service("rolling", "netconform.io/rolling"));
        awaitRollout(scenario, bed.namespace(), deployment.getMetadata().getName());
        bed.awaitEndpoints("rolling", 1);
        Forwarding.Seen seen = Forwarding.watch(scenario, scenario.fleet().probes(),
                c -> WhoamiProbe.tcp(svc.getSpec().getClusterIP(), Backends.TCP, Forwarding.ATTEMPT),
                seconds(scenario) + 120, "whoami ", null, () -> {
                    Instant zero = Instant.now();
                    client.apps().deployments().inNamespace(bed.namespace()).withName("rolling").rolling().restart();
                    return zero;
                }, () -> awaitRollout(scenario, bed.namespace(), "rolling"));
        Rollout.check(scenario, seen);
    }

    @Test
    @Order(4)
    @DisplayName("UDP flow keeps its source port while its backend is replaced (stale conntrack)")
    void staleUdpConntrack(Scenario scenario) {
        ServiceBed bed = bed(scenario);
        KubernetesClient client = scenario.run().cluster().client();
        List<String> nodes = scenario.run().placement().nodes();
        Pod first = flowPod(scenario, "flow-a", nodes.get(0));
        Pod second = flowPod(scenario, "flow-b", nodes.get(nodes.size() - 1));
        PodReadiness.create(client, bed.namespace(), first);
        Service svc = bed.create(bed.service("flow", "netconform.io/flow"));
        PodReadiness.awaitReady(client, bed.namespace(), List.of("flow-a"), scenario.run().config().podReadyTimeout());
        bed.awaitEndpoints("flow", 1);
        int sourcePort = 40000 + ThreadLocalRandom.current().nextInt(1000);
        Forwarding.Seen seen = Forwarding.watch(scenario, scenario.fleet().probes(),
                c -> WhoamiProbe.udpFrom(sourcePort, svc.getSpec().getClusterIP(), Backends.UDP, Forwarding.ATTEMPT),
                seconds(scenario) + 20, "whoami flow-a ", "whoami flow-b ", () -> {
                    PodReadiness.create(client, bed.namespace(), second);
                    PodReadiness.awaitReady(client, bed.namespace(), List.of("flow-b"),
                            scenario.run().config().podReadyTimeout());
                    bed.awaitEndpoints("flow", 2);
                    Instant zero = Instant.now();
                    client.pods().inNamespace(bed.namespace()).withName("flow-a").withGracePeriod(0).delete();
                    return zero;
                }, () -> { });
        Forwarding.untilAnsweredBy(scenario, seen, "flow-b", "stale UDP conntrack: old backend deleted → recovered",
                scenario.run().config().convergeTimeout());
    }

    private Pod flowPod(Scenario scenario, String name, String node) {
        return TestPods.onNode(Backends.whoami(scenario.run().images(), name, Backends.TCP, Backends.UDP)
                .editMetadata().addToLabels("netconform.io/flow", "yes").endMetadata(), node).build();
    }

    /** How long the clients may send: the converge timeout (the bound) plus room to see how late a late node is. */
    private static int seconds(Scenario scenario) {
        return (int) scenario.run().config().convergeTimeout().toSeconds() * 2 + 10;
    }

    /** Until the Deployment runs only updated, available pods and the replaced ones are gone. */
    private static void awaitRollout(Scenario scenario, String ns, String name) {
        KubernetesClient client = scenario.run().cluster().client();
        await("Deployment " + ns + "/" + name + " rolled out, old pods gone")
                .atMost(scenario.run().config().podReadyTimeout()).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
                    var s = d.getStatus();
                    int want = d.getSpec().getReplicas();
                    long pods = client.pods().inNamespace(ns).withLabel("netconform.io/rolling", "yes").list()
                            .getItems().size();
                    return s != null && s.getObservedGeneration() != null
                            && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                            && eq(s.getUpdatedReplicas(), want) && eq(s.getAvailableReplicas(), want)
                            && eq(s.getReplicas(), want) && pods == want;
                });
    }

    private static boolean eq(Integer a, int b) {
        return a != null && a == b;
    }
}
