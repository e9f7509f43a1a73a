package io.netconform.scenarios.hostnetwork;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Fleet;
import io.netconform.policy.IpFamily;
import io.netconform.junit.Scenario;
import io.netconform.probe.LinkMtu;
import io.netconform.probe.PathMtu;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.report.Summary;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The host network: a hostNetwork pod per node stands for the node itself (its traffic leaves from the node's IP, as
 * kubelet probes and node agents do). Node → pod on every node pair, pod → hostNetwork pod, hostNetwork ↔
 * hostNetwork across nodes, and the DF/MTU check on the node → node and node → pod paths: the host plane breaks
 * differently from the pod plane (WireGuard node encryption, a node MTU below the pod MTU). Skipped with the
 * admission's words where hostNetwork pods are refused.
 */
@ConformanceSuite
@Isolated // binds ports on the nodes themselves; runs alone when suites go side by side
@Order(6)
@Tag("hostnetwork")
@DisplayName("hostnetwork")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostNetworkTest {

    private final OncePerSuite<ServiceBed> beds = new OncePerSuite<>();
    private ServiceBed bed;

    private Map<String, Fleet.Member> nodes(Scenario scenario) {
        bed = beds.get(() -> ServiceBed.withoutBackends(scenario.run(), "hostnetwork"));
        return Report.step("deploy hostNetwork pods", bed::hostNetworkPods);
    }

    @AfterAll
    void deleteBed() throws Exception {
        beds.close();
    }

    @TestFactory
    @DisplayName("node and pod")
    Stream<DynamicTest> nodeAndPod(Scenario scenario) {
        Map<String, Fleet.Member> nodes = nodes(scenario);
        Duration t = scenario.probeTimeout();
        List<ProbeRequest> requests = new ArrayList<>();
        for (Fleet.Member node : nodes.values()) {
            for (Fleet.Member pod : scenario.fleet().probes()) {
                String ip = pod.ip(IpFamily.IPV4).orElseThrow();
                requests.add(new ProbeRequest("ICMP node " + node.node() + " → pod on " + pod.node(), node.ref(),
                        Probe.ping(ip, 3, t), pod.toString()));
                requests.add(new ProbeRequest("TCP node " + node.node() + " → pod on " + pod.node() + " (kubelet-style)",
                        node.ref(), Probe.port(ip, Fleet.TCP, t), pod.toString()));
            }
        }
        for (Fleet.Member pod : scenario.fleet().probes()) {
            for (Fleet.Member node : nodes.values()) {
                requests.add(new ProbeRequest("TCP pod on " + pod.node() + " → hostNetwork pod on " + node.node(),
                        pod.ref(), WhoamiProbe.tcp(bed.nodeIp(node.node()), bed.nodePort(0), t), node.toString()));
                requests.add(new ProbeRequest("UDP pod on " + pod.node() + " → hostNetwork pod on " + node.node(),
                        pod.ref(), WhoamiProbe.udp(bed.nodeIp(node.node()), bed.nodePort(1), t), node.toString()));
            }
        }
        for (Fleet.Member from : nodes.values()) {
            for (Fleet.Member to : nodes.values()) {
                if (!from.node().equals(to.node())) {
                    requests.add(new ProbeRequest("TCP hostNetwork " + from.node() + " → hostNetwork " + to.node(),
                            from.ref(), WhoamiProbe.tcp(bed.nodeIp(to.node()), bed.nodePort(0), t), to.toString()));
                }
            }
        }
        Map<ProbeKey, Boolean> expect = new LinkedHashMap<>();
        requests.forEach(r -> expect.put(r.key(), true));
        Verification v = scenario.prober().verify(requests, expect, scenario.run().config().convergeTimeout());
        return Stream.concat(requests.stream().map(r -> dynamicTest(r.name(), () -> {
            Report.parameter("from", r.source().toString());
            Report.parameter("to", r.target());
            Report.parameter("probe", String.join(" ", r.probe().command()));
            scenario.expect(v.result(r.key()), Verdict.ALLOWED, r.name(), FailureKind.UNEXPECTED_DROP);
        })), scenario.fleet().crossNodeSkippedOnSingleNode());
    }

    @TestFactory
    @DisplayName("node path MTU")
    Stream<DynamicTest> nodePathMtu(Scenario scenario) {
        Map<String, Fleet.Member> nodes = nodes(scenario);
        Requires.twoNodes(scenario.run(), "node → node and node → pod MTU are cross-node paths");
        List<DynamicTest> checks = new ArrayList<>();
        for (Fleet.Member from : nodes.values()) {
            for (Fleet.Member pod : scenario.fleet().probes()) {
                if (pod.node().equals(from.node())) {
                    continue;
                }
                String nodeIp = bed.nodeIp(pod.node());
                checks.add(dynamicTest("DF ping node " + from.node() + " → node " + pod.node(), () ->
                        check(scenario, from, nodeIp, "node " + pod.node(), towards(scenario, from.ref(), nodeIp))));
                String podIp = pod.ip(IpFamily.IPV4).orElseThrow();
                checks.add(dynamicTest("DF ping node " + from.node() + " → pod on " + pod.node(), () ->
                        check(scenario, from, podIp, "pod on " + pod.node(), Math.min(
                                towards(scenario, from.ref(), podIp), towards(scenario, pod.ref(), nodeIp)))));
            }
        }
        return checks.stream();
    }

    /**
     * The MTU a packet from {@code source} to {@code ip} must fit: that of the interface its route leaves by. Node to
     * pod takes the smaller of the node's and the pod's own (the pod's interface towards its node), since a path is
     * as narrow as its narrowest link.
     */
    private static int towards(Scenario scenario, PodRef source, String ip) {
        List<String> command = List.of("sh", "-c", "cat /sys/class/net/$(ip route get " + ip
                + " | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -1)/mtu");
        ExecResult r = scenario.run().executor().exec(source, command, Duration.ofSeconds(15));
        OptionalInt mtu = r.completed() && r.exitCode() == 0 ? LinkMtu.sysfsMtu(r.stdout()) : OptionalInt.empty();
        if (mtu.isEmpty()) {
            throw scenario.broken(BrokenCheck.of("cannot read the MTU of the route from " + source + " to " + ip + " ("
                    + r + ")").reproduce(source.kubectlExec(command)).output(r.output()), List.of(source));
        }
        return mtu.getAsInt();
    }

    private static void check(Scenario scenario, Fleet.Member from, String ip, String to, int expected) {
        Report.parameter("from", "node " + from.node());
        Report.parameter("to", to);
        Report.parameter("expected MTU", expected);
        PathMtu mtu = PathMtu.discover(scenario.run().executor(), from.ref(), ip, expected, scenario.probeTimeout());
        scenario.run().summary().mtu(new Summary.Mtu("node " + from.node(), to, false, "IPv4", expected,
                mtu.interfaceMtu().isPresent() ? mtu.interfaceMtu().getAsInt() : null,
                mtu.pmtu().isPresent() ? mtu.pmtu().getAsInt() : null, mtu.passSize(), mtu.passed(),
                mtu.failSizeOutcome().name()));
        if (!mtu.passed()) {
            throw scenario.failure(CheckFailure.of(FailureKind.MTU, "node " + from.node() + " → " + to
                    + ": expected path MTU " + expected + " (the narrowest interface on the way)\n" + mtu.detail())
                    .reproduce(mtu.reproduce()), List.of(from.ref()));
        }
    }
}
