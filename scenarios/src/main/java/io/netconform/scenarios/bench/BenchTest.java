package io.netconform.scenarios.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.netconform.report.BrokenCheck;
import io.netconform.bench.BenchPath;
import io.netconform.bench.BenchResult;
import io.netconform.bench.BenchSettings;
import io.netconform.bench.BenchTable;
import io.netconform.bench.Benchmark;
import io.netconform.bench.Stats;
import io.netconform.cluster.NodePair;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PodRef;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.EnforcementCheck;
import io.netconform.policy.IpFamily;
import io.netconform.junit.Run;
import io.netconform.junit.Scenario;
import io.netconform.report.Report;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the pod network for CNI comparison: latency (ICMP, TCP connect, HTTP) and throughput (TCP one and four
 * streams, UDP at a target rate) on the sampled same-node and cross-node pairs, and the same over the host network
 * on the same nodes, so pod-network overhead is a ratio rather than a guess. Results go to reports/bench/.
 */
@ConformanceSuite
@Isolated // throughput and latency figures must not share the nodes with other suites
@Order(50)
@Tag("bench")
@DisplayName("bench")
class BenchTest {

    /** Off the usual ports: host-network servers share the node with whatever else listens there. */
    static final int HTTP_PORT = 18080;
    // socat unescapes backslashes in its address, so the canned HTTP answer comes from a file, not a printf argument
    static final String SERVER = "printf 'HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok' > /tmp/http-200"
            + " && iperf3 -s -D -p 5201 && exec socat TCP-LISTEN:" + HTTP_PORT + ",fork,reuseaddr SYSTEM:'cat /tmp/http-200'";
    static final String CLIENT = "trap 'exit 0' TERM INT; sleep 2147483647 & wait";

    @Test
    @DisplayName("pod network and host network, same node and cross node")
    void measure(Scenario scenario) throws Exception {
        Run run = scenario.run();
        String ns = run.namespaces().create("bench", "bench", Map.of());
        Map<String, Pod> pods = new LinkedHashMap<>();
        List<NodePair> pairs = run.placement().pairs();
        for (NodePair pair : pairs) {
            for (boolean host : List.of(false, true)) {
                String suffix = (host ? "host-" : "pod-") + (pair.sameNode() ? "same" : "cross") + "-" + pairs.indexOf(pair);
                pods.put("server-" + suffix, pod(scenario, "server-" + suffix, pair.to(), host, SERVER));
                pods.put("client-" + suffix, pod(scenario, "client-" + suffix, pair.from(), host, CLIENT));
            }
        }
        pods.values().forEach(p -> PodReadiness.create(run.cluster().client(), ns, p));
        Map<String, Pod> ready = new LinkedHashMap<>();
        PodReadiness.awaitReady(run.cluster().client(), ns, List.copyOf(pods.keySet()), run.config().podReadyTimeout())
                .forEach(p -> ready.put(p.getMetadata().getName(), p));
        List<Benchmark.Leg> legs = new ArrayList<>();
        for (NodePair pair : pairs) {
            for (boolean host : List.of(false, true)) {
                String suffix = (host ? "host-" : "pod-") + (pair.sameNode() ? "same" : "cross") + "-" + pairs.indexOf(pair);
                String serverIp = ready.get("server-" + suffix).getStatus().getPodIP();
                legs.add(new Benchmark.Leg(new BenchPath(pair.from(), pair.to(),
                        pair.sameNode() ? BenchPath.Placement.SAME_NODE : BenchPath.Placement.CROSS_NODE,
                        IpFamily.of(serverIp) == IpFamily.IPV6 ? BenchPath.IpFamily.IPV6 : BenchPath.IpFamily.IPV4,
                        host ? BenchPath.Network.HOST : BenchPath.Network.POD),
                        new PodRef(ns, "client-" + suffix, "probe"), run.images().netshoot(), serverIp));
            }
        }
        BenchSettings d = BenchSettings.defaults();
        // `netconform bench --repeats/--seconds` set these; defaults otherwise
        int repeats = Integer.getInteger("netconform.bench.repeats", d.repeats());
        int seconds = Integer.getInteger("netconform.bench.seconds", d.iperfSeconds());
        BenchSettings settings = new BenchSettings(d.pingCount(), d.pingInterval(), d.requests(), HTTP_PORT,
                seconds, d.parallelStreams(), d.udpRate(), repeats, d.warmup(), d.wideThreshold(),
                d.hostTolerance(), d.execTimeoutSeconds());
        BenchResult measured = step(run, "measure " + legs.size() + " paths (" + repeats + " × " + seconds + " s of iperf3 each)", () -> new Benchmark(run.executor(), settings)
                .run(new BenchResult.ClusterFacts(clusterName(run), run.cluster().kubernetesVersion(),
                        run.cluster().distribution(), run.placement().nodes().size()), run.cni().asMap(), legs));
        PodRef client = legs.get(legs.size() - 1).client();
        NodePair last = pairs.get(pairs.size() - 1);
        Stats networkReady = step(run, "pod start → network ready (" + repeats + " pods)", () -> Latencies.podStartToNetworkReady(
                scenario, ns, last.to(), client, repeats));
        List<BenchResult.Missing> missing = new ArrayList<>(measured.missing());
        Latencies.Enforcement enforcement = null;
        Stats revocation = null;
        EnforcementCheck.Decision policy = run.policyEnforcement().decide();
        if (policy.enforced()) {
            enforcement = step(run, "policy enforcement latency (" + repeats + " × apply and remove)", () -> Latencies.policyEnforcement(scenario, repeats));
            revocation = step(run, "open-connection revocation latency", () -> Latencies.policyRevocation(scenario,
                    Math.min(repeats, 3), missing));
        } else {
            missing.add(new BenchResult.Missing("policy enforcement latency", policy.reason()));
        }
        BenchResult result = new BenchResult(measured.schema(), measured.cluster(), measured.cni(), measured.timestamp(),
                measured.settings(), measured.paths(), measured.hostNetworkRatios(),
                enforcement == null ? null : enforcement.apply(), networkReady, missing, revocation,
                enforcement == null ? null : enforcement.removal());
        Path file = result.write(run.config().reportsDir().resolve("bench"));
        String table = BenchTable.render(result);
        run.say(table + "\nbench results: " + file);
        Report.attachText("bench results", table);
        run.summary().bench(result);
        if (result.paths().isEmpty()) {
            // every leg's measurement failed: nothing was observed about the network's speed
            throw scenario.broken(BrokenCheck.of("the benchmark measured no path; missing: " + result.missing()),
                    legs.stream().map(Benchmark.Leg::client).toList());
        }
    }

    /** An Allure step that also says on the console what it measures and how long it took: a bench runs for minutes. */
    private static <T> T step(Run run, String what, Report.ThrowingSupplier<T> body) {
        run.say("bench: " + what + " …");
        long t0 = System.nanoTime();
        T result = Report.step(what, body);
        run.say(String.format(java.util.Locale.ROOT, "bench: %s done in %.0f s", what, (System.nanoTime() - t0) / 1e9));
        return result;
    }

    private static Pod pod(Scenario scenario, String name, String node, boolean hostNetwork, String script) {
        Pod pod = TestPods.onNode(TestPods.netshootClient(scenario.run().images(), name), node).build();
        pod.getSpec().getContainers().get(0).setCommand(List.of("sh", "-c", script));
        pod.getSpec().setHostNetwork(hostNetwork);
        return pod;
    }

    private static String clusterName(Run run) {
        String server = run.cluster().serverUrl().replaceFirst("^https?://", "");
        return (run.cni().name() + "-" + server).replaceAll("[^A-Za-z0-9.-]", "-");
    }
}
