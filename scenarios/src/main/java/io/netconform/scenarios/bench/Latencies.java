package io.netconform.scenarios.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.netconform.bench.BenchResult;
import io.netconform.bench.Stats;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.disruption.Revocation;
import io.netconform.exec.PodRef;
import io.netconform.junit.EstablishedFlows;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Topology;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.report.BrokenCheck;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The two cluster-wide latencies of a benchmark: how long a new pod takes to be reachable, and how long a
 * NetworkPolicy takes to take effect (and to stop taking effect). Each is measured {@code repeats} times.
 */
final class Latencies {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Port PORT = Port.tcp(8080);
    private static final Port UDP_PORT = Port.udp(8081);

    private Latencies() {
    }

    /** Pod creation → first answered ping from {@code client}, one fresh server pod per sample. */
    static Stats podStartToNetworkReady(Scenario scenario, String namespace, String node, PodRef client, int repeats) {
        double[] samples = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            String name = "ready-" + i;
            Pod pod = TestPods.onNode(TestPods.netshootServer(scenario.run().images(), name, List.of(PORT)), node).build();
            long t0 = System.nanoTime();
            PodReadiness.create(scenario.run().cluster().client(), namespace, pod);
            Pod ready = PodReadiness.awaitReady(scenario.run().cluster().client(), namespace, List.of(name),
                    scenario.run().config().podReadyTimeout()).get(0);
            String ip = ready.getStatus().getPodIP();
            samples[i] = until(scenario, client, Probe.ping(ip, 1, PROBE_TIMEOUT), r -> r.verdict() == Verdict.ALLOWED, t0,
                    "pod " + namespace + "/" + name + " answering ping");
            scenario.run().cluster().client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        }
        return Stats.of(samples);
    }

    /** Applying a default-deny → first observed drop, and removing it → first observed success, apart. */
    record Enforcement(Stats apply, Stats removal) {
    }

    static Enforcement policyEnforcement(Scenario scenario, int repeats) {
        scenario.deploy(Topology.of("latency/server", "latency/client").serving(PORT));
        PodRef client = scenario.pod("latency/client");
        Probe probe = Probe.tcpConnect(scenario.topology().pod("latency/server").ips().get(0), PORT.number(), PROBE_TIMEOUT);
        NetworkPolicy deny = new NetworkPolicyBuilder().withNewMetadata().withName("deny-all-ingress")
                .withNamespace("latency").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
        double[] apply = new double[repeats];
        double[] removal = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long applied = System.nanoTime();
            scenario.apply(deny);
            apply[i] = until(scenario, client, probe, r -> r.verdict().blocked(), applied, "the deny taking effect");
            long removed = System.nanoTime();
            scenario.remove("latency/deny-all-ingress");
            removal[i] = until(scenario, client, probe, r -> r.verdict() == Verdict.ALLOWED, removed,
                    "traffic flowing again after the deny was removed");
        }
        return new Enforcement(Stats.of(apply), Stats.of(removal));
    }

    /**
     * A deny applied while a TCP connection and a UDP flow are open, {@code rounds} times: from new TCP connections
     * being blocked to the open TCP connection stopping, both on the client pod's clock. When the open connection
     * survives (conntrack-first datapaths) there is no latency to report: {@code missing} says so and null returns.
     */
    static Stats policyRevocation(Scenario scenario, int rounds, List<BenchResult.Missing> missing) {
        scenario.deploy(Topology.of("revoke/server", "revoke/client").serving(PORT, UDP_PORT));
        NetworkPolicy deny = new NetworkPolicyBuilder().withNewMetadata().withName("deny-all-ingress")
                .withNamespace("revoke").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            EstablishedFlows flows = EstablishedFlows.open(scenario, "revoke/client", "revoke/server", PORT, UDP_PORT);
            scenario.apply(deny);
            Revocation tcp = flows.judge("deny applied").get(0);
            scenario.remove("revoke/deny-all-ingress");
            if (tcp.survived()) {
                missing.add(new BenchResult.Missing("open-connection revocation latency", "a TCP connection opened before "
                        + "a deny survives it on this CNI (conntrack keeps established flows): nothing to time"));
                return null;
            }
            samples.add((double) tcp.latency().toMillis());
        }
        return Stats.of(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Milliseconds from {@code t0} to the START of the first probe that saw what was wanted: a drop only shows after
     * the probe's timeout, and that wait is not the cluster's latency.
     */
    private static double until(Scenario scenario, PodRef from, Probe probe, Predicate<ProbeResult> wanted, long t0,
                                String what) {
        AtomicReference<ProbeResult> last = new AtomicReference<>();
        AtomicLong hit = new AtomicLong();
        try {
            // in this thread, so the deadline never interrupts a probe in flight (that would read as an exec failure)
            Awaitility.await(what).pollInSameThread().atMost(scenario.run().config().podReadyTimeout())
                    .pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(() -> {
                        long started = System.nanoTime();
                        last.set(scenario.probe(from, probe));
                        hit.set(started);
                        return last.get().verdict() != Verdict.ERROR && wanted.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw scenario.broken(BrokenCheck.of("gave up waiting for " + what + " after "
                    + scenario.run().config().podReadyTimeout() + "; last: " + last.get())
                    .reproduce(last.get() == null ? from.kubectlExec(probe.command()) : last.get().reproduce()), List.of(from));
        }
        return (hit.get() - t0) / 1e6;
    }
}
