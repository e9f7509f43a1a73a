package io.netconform.scenarios.connectivity;

import io.netconform.junit.Capability;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Fleet;
import io.netconform.policy.IpFamily;
import io.netconform.junit.Scenario;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Pod-to-pod reachability without any policy: every sampled node pair (same node and cross node) in every IP
 * family the pods have, over ICMP, TCP, UDP and SCTP, plus pod → ClusterIP Service over HTTP. All probes of one
 * source pod run in one exec; a pair that fails is re-probed until the converge timeout before it is reported.
 *
 * <p>Also tagged {@code dualstack}: when pods have an IPv4 and an IPv6 address every check runs once per family
 * (the server pods listen on both); on a single-stack cluster they run for its one family only.
 */
@ConformanceSuite
@Order(12)
@Tag("connectivity")
@Tag("dualstack")
@DisplayName("connectivity")
class ConnectivityTest {

    @TestFactory
    @DisplayName("pod to pod")
    Stream<DynamicTest> podToPod(Scenario scenario) {
        Fleet fleet = scenario.fleet();
        Map<String, Function<Fleet.Path, Probe>> kinds = new LinkedHashMap<>();
        kinds.put("ICMP", p -> Probe.ping(p.toIp(), 3, scenario.probeTimeout()));
        kinds.put("TCP", p -> Probe.port(p.toIp(), Fleet.TCP, scenario.probeTimeout()));
        kinds.put("UDP", p -> Probe.port(p.toIp(), Fleet.UDP, scenario.probeTimeout()));
        kinds.put("SCTP", p -> Probe.port(p.toIp(), Fleet.SCTP, scenario.probeTimeout()));
        List<ProbeRequest> requests = new ArrayList<>();
        for (IpFamily family : fleet.families()) {
            for (Fleet.Path path : fleet.paths(family)) {
                kinds.forEach((kind, probe) -> requests.add(new ProbeRequest(kind + " " + path.label(),
                        path.from().ref(), probe.apply(path), path.to().name())));
            }
        }
        Verification v = allAllowed(scenario, requests);
        Stream<DynamicTest> checks = requests.stream().map(r -> dynamicTest(r.name(), () -> {
            parameters(scenario, r);
            ProbeResult result = v.result(r.key());
            if (r.name().startsWith("SCTP") && result.verdict() == Verdict.ERROR) {
                // a cluster without SCTP at all skips with that reason; any other SCTP error is a finding
                scenario.run().capabilities().require(Capability.SCTP);
            }
            scenario.expect(result, Verdict.ALLOWED, r.name(), FailureKind.UNEXPECTED_DROP);
        }));
        return Stream.concat(checks, fleet.crossNodeSkippedOnSingleNode());
    }

    @TestFactory
    @DisplayName("pod to service")
    Stream<DynamicTest> podToService(Scenario scenario) {
        Fleet fleet = scenario.fleet();
        List<ProbeRequest> requests = new ArrayList<>();
        for (Fleet.Member client : fleet.probes()) {
            requests.add(new ProbeRequest("HTTP to ClusterIP service " + Fleet.SERVICE + " from " + client,
                    client.ref(), Probe.http(fleet.serviceIp(), 80, scenario.probeTimeout()), "service/" + Fleet.SERVICE));
        }
        requests.add(new ProbeRequest("HTTP to ClusterIP service " + Fleet.SERVICE + " from busybox " + fleet.mini(),
                fleet.mini().ref(), Probe.busyboxHttp(fleet.serviceIp(), 80, scenario.probeTimeout()),
                "service/" + Fleet.SERVICE));
        Verification v = allAllowed(scenario, requests);
        return requests.stream().map(r -> dynamicTest(r.name(), () -> {
            parameters(scenario, r);
            scenario.expect(v.result(r.key()), Verdict.ALLOWED, r.name(), FailureKind.UNEXPECTED_DROP);
        }));
    }

    /** What a report reader filters by: the CNI, the two ends, and the command that probed. */
    private static void parameters(Scenario scenario, ProbeRequest r) {
        Report.parameter("CNI", scenario.cni().name());
        Report.parameter("from", r.source().toString());
        Report.parameter("to", r.target());
        Report.parameter("probe", String.join(" ", r.probe().command()));
    }

    private static Verification allAllowed(Scenario scenario, List<ProbeRequest> requests) {
        Map<ProbeKey, Boolean> expect = new LinkedHashMap<>();
        requests.forEach(r -> expect.put(r.key(), true));
        return scenario.prober().verify(requests, expect, scenario.run().config().convergeTimeout());
    }


}
