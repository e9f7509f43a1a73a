package io.netconform.junit;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netconform.cluster.Cluster;
import io.netconform.exec.PodRef;
import io.netconform.exec.ScriptedExecutor;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.BatchProber;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.netconform.exec.ScriptedExecutor.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The live glue of {@link Scenario} against the mock API server (CRUD) and a scripted network: deploy, the rewriting
 * of policies into the run's namespaces, apply, the observed grid, the failure text, and a suite class's cases
 * sharing one deployment. A stand-in kubelet makes every created pod running and ready with the next address.
 */
@EnableKubernetesMockClient(crud = true)
class LiveScenarioTest {

    static final Port HTTP = Port.tcp(8080);
    static final Topology FRONT_AND_BACK = Topology.of("frontend/web", "backend/api", "backend/db").serving(HTTP);

    KubernetesClient client;
    KubernetesMockServer server;
    @TempDir
    Path reports;

    final List<String> console = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger podsStarted = new AtomicInteger();
    /** Whether the stand-in kubelet gives pods an IPv6 address after the IPv4 one, as a dual-stack cluster does. */
    volatile boolean dualStack;
    SharedIndexInformer<Pod> kubelet;
    Run run;

    @BeforeEach
    void cluster() {
        for (String node : List.of("node-1", "node-2")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                    .withNewSpec().endSpec().build()).create();
        }
        kubelet = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                    return;
                }
                int n = podsStarted.incrementAndGet();
                String ip = "10.42.0." + n;
                PodStatusBuilder status = new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                        .addNewPodIP().withIp(ip).endPodIP();
                if (dualStack) {
                    status.addNewPodIP().withIp("fd00:42::" + n).endPodIP();
                }
                pod.setStatus(status
                        .withContainerStatuses(pod.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                                .withName(c.getName()).withImage(c.getImage()).withReady(true)
                                .withNewState().withNewRunning().endRunning().endState().build()).toList())
                        .build());
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
            }
        });
        RunConfig config = new RunConfig(null, null, null, null, Map.of(), List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(20), null, 8, null, null, false, null, reports, null);
        run = Run.on(Cluster.of(client, "mock server"), config, console::add);
    }

    @AfterEach
    void end() {
        kubelet.close();
        run.close();
    }

    Scenario scenario(String name, SharedDeployments shared, ScriptedExecutor network) {
        return new Scenario(run, name, shared, new BatchProber(network, run.config().probeTimeout()).withExecRetries(0));
    }

    /** Ingress to every backend pod from the frontend namespace only, named by kubernetes.io/metadata.name. */
    static NetworkPolicy backendFromFrontend() {
        return new NetworkPolicyBuilder().withNewMetadata().withName("from-frontend").withNamespace("backend").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", "frontend").endNamespaceSelector().endFrom().endIngress()
                .endSpec().build();
    }

    static String source(Scenario scenario, String podId) {
        PodRef pod = scenario.pod(podId);
        return pod.namespace() + "/" + pod.pod();
    }

    static String ip(Scenario scenario, String podId) {
        return scenario.topology().pod(PodId.of(podId)).ips().get(0);
    }

    static String ipv6(Scenario scenario, String podId) {
        return scenario.topology().ip(PodId.of(podId), IpFamily.IPV6);
    }

    /** Ingress to every backend pod from the pod network's IPv4 range only: an IPv6 packet matches no peer. */
    static NetworkPolicy backendFromIpv4Range() {
        return new NetworkPolicyBuilder().withNewMetadata().withName("from-ipv4-range").withNamespace("backend").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr("10.42.0.0/16").endIpBlock().endFrom().endIngress()
                .endSpec().build();
    }

    List<String> namespaces() {
        return client.namespaces().list().getItems().stream().filter(n -> n.getMetadata().getDeletionTimestamp() == null)
                .map(n -> n.getMetadata().getName()).toList();
    }

    int pods() {
        return client.pods().inAnyNamespace().list().getItems().size();
    }

    @Test
    void casesOfOneTopologyShareOneDeploymentPutBackBetweenThem() {
        SharedDeployments shared = new SharedDeployments(run, "SharedSuite");
        String backend;
        // the network of a CNI that enforces the policy: inside backend nothing gets in
        ScriptedExecutor enforcing = new ScriptedExecutor();
        try (Scenario first = scenario("SharedSuite.first", shared, enforcing)) {
            first.deploy(FRONT_AND_BACK).apply(backendFromFrontend());
            enforcing.when(from(source(first, "backend/api")).to(ip(first, "backend/db"), HTTP)).drops();
            enforcing.when(from(source(first, "backend/db")).to(ip(first, "backend/api"), HTTP)).drops();
            backend = first.pod("backend/api").namespace();

            NetworkPolicy onServer = client.network().v1().networkPolicies().inNamespace(backend).withName("from-frontend").get();
            assertThat(onServer.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", first.pod("frontend/web").namespace());
            Verification v = first.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP)
                    .denyIngressTo("backend/*").allow("frontend/web", "backend/*"));
            assertThat(v.converged()).isTrue();
        }
        assertThat(client.network().v1().networkPolicies().inNamespace(backend).list().getItems())
                .as("the first case's policies, deleted when it ended").isEmpty();
        Summary.Matrix matrix = run.summary().summary().reachability().get(0);
        assertThat(matrix.observed()).containsExactly(
                List.of("-", ".", "."),
                List.of(".", "-", "X"),
                List.of(".", "X", "-"));

        ScriptedExecutor open = new ScriptedExecutor();
        try (Scenario second = scenario("SharedSuite.second", shared, open)) {
            second.deploy(FRONT_AND_BACK);
            assertThat(second.pod("backend/api").namespace()).isEqualTo(backend);
            assertThat(namespaces()).hasSize(2);
            assertThat(pods()).as("pods: the first case's three, no more").isEqualTo(3);
            assertThat(second.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP)).converged()).isTrue();
        }
        assertThat(shared.created()).isEqualTo(1);
        assertThat(shared.reused()).isEqualTo(1);

        shared.close();
        assertThat(namespaces()).as("deleted when the suite class ends").isEmpty();
    }

    @Test
    void withoutSharingEachCaseDeploysItsOwn() {
        List<String> created = new ArrayList<>();
        for (String name : List.of("Own.first", "Own.second")) {
            try (Scenario own = scenario(name, null, new ScriptedExecutor())) {
                own.deploy(FRONT_AND_BACK);
                created.addAll(namespaces());
            }
            assertThat(namespaces()).as("deleted when the case ends").isEmpty();
        }
        assertThat(created).doesNotHaveDuplicates().hasSize(4);
        assertThat(podsStarted).hasValue(6);
    }

    @Test
    void labelsACaseChangedAreRestoredBeforeTheNextCase() {
        SharedDeployments shared = new SharedDeployments(run, "LabelSuite");
        Deployment deployment = shared.acquire(FRONT_AND_BACK);
        PodId api = PodId.of("backend/api");
        Map<String, String> podLabels = client.pods().inNamespace(deployment.realNamespace("backend")).withName("api").get()
                .getMetadata().getLabels();
        Map<String, String> nsLabels = client.namespaces().withName(deployment.realNamespace("backend")).get()
                .getMetadata().getLabels();

        deployment.labelPod(api, Map.of("tier", "moved", "pod", "renamed"));
        deployment.labelNamespace("backend", Map.of("env", "prod"));
        assertThat(client.pods().inNamespace(deployment.realNamespace("backend")).withName("api").get()
                .getMetadata().getLabels()).containsEntry("tier", "moved").containsEntry("pod", "renamed");
        shared.release(FRONT_AND_BACK, deployment);

        Deployment again = shared.acquire(FRONT_AND_BACK);
        assertThat(again).isSameAs(deployment);
        assertThat(client.pods().inNamespace(again.realNamespace("backend")).withName("api").get().getMetadata().getLabels())
                .isEqualTo(podLabels);
        Namespace ns = client.namespaces().withName(again.realNamespace("backend")).get();
        assertThat(ns.getMetadata().getLabels()).isEqualTo(nsLabels);
        shared.close();
    }

    @Test
    void aDeploymentWhosePodDiedIsNotHandedToTheNextCase() {
        SharedDeployments shared = new SharedDeployments(run, "CrashSuite");
        Deployment first = shared.acquire(FRONT_AND_BACK);
        shared.release(FRONT_AND_BACK, first);
        Pod db = client.pods().inNamespace(first.realNamespace("backend")).withName("db").get();
        db.getStatus().setPhase("Failed");
        client.pods().inNamespace(db.getMetadata().getNamespace()).resource(db).updateStatus();

        Deployment second = shared.acquire(FRONT_AND_BACK);

        assertThat(second).isNotSameAs(first);
        assertThat(second.realNamespace("backend")).isNotEqualTo(first.realNamespace("backend"));
        assertThat(shared.created()).isEqualTo(2);
        assertThat(console).anyMatch(line -> line.contains("CrashSuite: pods of the shared deployment are [backend/db (not ready)]"));
        assertThat(namespaces()).doesNotContain(first.realNamespace("backend"), first.realNamespace("frontend"));
        shared.close();
    }

    @Test
    void aPairTheCniGetsWrongFailsWithGridsTheReasonAndTheReproduceLine() {
        // a CNI that enforces nothing
        try (Scenario scenario = scenario("Wrong.noEnforcement", null, new ScriptedExecutor())) {
            scenario.deploy(FRONT_AND_BACK).apply(backendFromFrontend());
            String backend = scenario.pod("backend/db").namespace();

            assertThatThrownBy(() -> scenario.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP)
                    .denyIngressTo("backend/*").allow("frontend/web", "backend/*")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("[unexpected-allow] Wrong.noEnforcement: 2 of 6 pairs wrong on TCP/8080")
                    .hasMessageContaining("backend/api -> backend/db   expected BLOCKED, got ALLOWED")
                    .hasMessageContaining("why expected:")
                    .hasMessageContaining("kubectl exec -n " + backend + " api -c probe -- ")
                    .hasMessageContaining(ip(scenario, "backend/db"))
                    .hasMessageContaining("(cni: ")
                    .hasMessageContaining("evidence: ");
        }
    }

    @Test
    void probesThatCannotObserveAreBrokenNotANetworkVerdict() {
        ScriptedExecutor failing = new ScriptedExecutor();
        failing.byDefault().errors();
        try (Scenario scenario = scenario("Broken.exec", null, failing)) {
            scenario.deploy(FRONT_AND_BACK);

            BrokenCheck broken = catchThrowableOfType(() -> scenario.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP)),
                    BrokenCheck.class);
            assertThat(broken).hasMessageContaining("6 of 6 probes could not observe on TCP/8080");
            // one item per pair, each with the command that repeats its probe
            assertThat(broken.text().items()).hasSize(6).allSatisfy(item -> {
                assertThat(item.what()).contains("got ERROR");
                assertThat(item.reproduce()).startsWith("kubectl exec -n ");
            });
            assertThat(broken.getMessage()).contains("\n  frontend/web -> backend/api (").contains("\n    reproduce: kubectl exec -n ");
        }
    }

    @Test
    void denyThatRejectsInsteadOfDroppingFailsWithOneItemAndReproduceLinePerPair() {
        // a CNI that enforces the policy, but answers with a reset where a ClusterNetworkPolicy Deny must drop
        ScriptedExecutor rejecting = new ScriptedExecutor();
        try (Scenario scenario = scenario("Reject.deny", null, rejecting)) {
            scenario.deploy(FRONT_AND_BACK).apply(backendFromFrontend());
            rejecting.when(from(source(scenario, "backend/api")).to(ip(scenario, "backend/db"), HTTP)).refuses();
            rejecting.when(from(source(scenario, "backend/db")).to(ip(scenario, "backend/api"), HTTP)).drops();

            CheckFailure failure = catchThrowableOfType(() -> scenario.verifyDropped(HTTP,
                    Reachability.allAllowed(FRONT_AND_BACK, HTTP).denyIngressTo("backend/*")
                            .allow("frontend/web", "backend/*")), CheckFailure.class);

            assertThat(failure.kind()).isEqualTo(FailureKind.POLICY_NOT_ENFORCED);
            assertThat(failure.text().items()).singleElement().satisfies(item -> {
                assertThat(item.what()).startsWith("backend/api -> backend/db: expected a drop (timeout), got REFUSED (");
                assertThat(item.reproduce()).startsWith("kubectl exec -n " + scenario.pod("backend/api").namespace()
                        + " api -c probe -- ");
            });
            assertThat(failure.getMessage())
                    .startsWith("[policy-not-enforced] Reject.deny: 1 denied pair(s) were rejected instead of dropped on TCP/8080"
                            + "\n  backend/api -> backend/db: expected a drop (timeout), got REFUSED (")
                    .contains("\n    reproduce: kubectl exec -n ")
                    .contains("\n  evidence: " + reports.resolve("evidence"));
        }
    }

    @Test
    void dualStackPodsAreProbedOnEveryFamilyAndAnIpv4IpBlockAdmitsNoIpv6Traffic() {
        dualStack = true;
        ScriptedExecutor enforcing = new ScriptedExecutor();
        try (Scenario scenario = scenario("DualStack.ipBlock", null, enforcing)) {
            scenario.deploy(FRONT_AND_BACK).apply(backendFromIpv4Range());
            // the CNI enforces the policy on IPv6 too: nothing gets into backend over IPv6, db rejects instead of dropping
            for (String from : List.of("frontend/web", "backend/api", "backend/db")) {
                for (String to : List.of("backend/api", "backend/db")) {
                    if (!from.equals(to)) {
                        enforcing.when(from(source(scenario, from)).to(ipv6(scenario, to), HTTP)).drops();
                    }
                }
            }
            enforcing.when(from(source(scenario, "backend/api")).to(ipv6(scenario, "backend/db"), HTTP)).refuses();

            // the case is written for the primary family: every pod is inside 10.42.0.0/16, so all of it is open
            Verification v = scenario.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP));

            assertThat(v.converged()).as(v.describeFailures()).isTrue();
            assertThat(v.pairs()).hasSize(12);
            assertThat(v.pairs().stream().map(p -> p.pair().orElseThrow().family()).distinct())
                    .containsExactly(IpFamily.IPV4, IpFamily.IPV6);
            assertThat(enforcing.calls()).flatExtracting(ScriptedExecutor.Call::probes)
                    .anySatisfy(argv -> assertThat(argv).contains(ipv6(scenario, "backend/db")))
                    .anySatisfy(argv -> assertThat(argv).contains(ip(scenario, "backend/db")));
            assertThat(v.pair(new ProbeKey.Pair(PodId.of("backend/api"), PodId.of("backend/db"), HTTP, IpFamily.IPV6)).verdict())
                    .isEqualTo(Verdict.REFUSED);
        }
        List<Summary.Matrix> matrices = run.summary().summary().reachability();
        assertThat(matrices).extracting(Summary.Matrix::ipFamily).containsExactly("IPv4", "IPv6");
        assertThat(matrices.get(0).observed()).containsExactly(
                List.of("-", ".", "."),
                List.of(".", "-", "."),
                List.of(".", ".", "-"));
        assertThat(matrices.get(1).expected()).containsExactly(
                List.of("-", "X", "X"),
                List.of(".", "-", "X"),
                List.of(".", "X", "-"));
        assertThat(matrices.get(1).observed()).as("a reject keeps its own mark").containsExactly(
                List.of("-", "X", "X"),
                List.of(".", "-", "R"),
                List.of(".", "X", "-"));
    }

    @Test
    void aCniThatLeavesIpv6OpenFailsOnTheIpv6PairsOnly() {
        dualStack = true;
        try (Scenario scenario = scenario("DualStack.open", null, new ScriptedExecutor())) {
            scenario.deploy(FRONT_AND_BACK).apply(backendFromIpv4Range());

            assertThatThrownBy(() -> scenario.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("[unexpected-allow] DualStack.open: IPv6: 4 of 6 pairs wrong on TCP/8080")
                    .hasMessageContaining("frontend/web -> backend/api   expected BLOCKED, got ALLOWED")
                    .hasMessageContaining(ipv6(scenario, "backend/api"))
                    .message().doesNotContain("IPv4: ");
        }
    }

    @Test
    void aSingleStackClusterIsProbedOnceAndRecordedAsItsFamily() {
        try (Scenario scenario = scenario("SingleStack.open", null, new ScriptedExecutor())) {
            scenario.deploy(FRONT_AND_BACK);
            Verification v = scenario.verify(HTTP, Reachability.allAllowed(FRONT_AND_BACK, HTTP));
            assertThat(v.pairs()).hasSize(6).allSatisfy(p -> {
                assertThat(p.pair().orElseThrow().family()).isEqualTo(IpFamily.IPV4);
                assertThat(p.name()).doesNotContain("IPv4");
            });
        }
        assertThat(run.summary().summary().reachability()).extracting(Summary.Matrix::ipFamily).containsExactly("IPv4");
    }
}
