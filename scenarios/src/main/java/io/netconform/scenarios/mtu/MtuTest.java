package io.netconform.scenarios.mtu;

import io.netconform.cni.CniProfile;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Fleet;
import io.netconform.policy.IpFamily;
import io.netconform.junit.Scenario;
import io.netconform.probe.DfOutcome;
import io.netconform.probe.LinkMtu;
import io.netconform.probe.PathMtu;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.report.Summary;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Path MTU on every sampled cross-node pair and to the other node's host network: a don't-fragment ping of
 * MTU−28 (IPv6: MTU−48) must pass and MTU−27 must be refused, and how it is refused is named — by the pod's own
 * route (EMSGSIZE), by a hop ("frag needed"), or not at all (a PMTU black hole: the classic VXLAN-in-VPN failure).
 *
 * <p>The expected MTU comes from the CNI profile (or {@code --expect-mtu}); for an unknown CNI the pod's own interface
 * MTU is the expectation, so the check still proves the path carries what the pod will send.
 *
 * <p>Also tagged {@code dualstack}: on a dual-stack cluster every path is checked in IPv4 and in IPv6 (whose DF
 * ping leaves 48 header bytes, not 28); on a single-stack cluster only in its one family.
 */
@ConformanceSuite
@Order(13)
@Tag("mtu")
@Tag("dualstack")
@DisplayName("mtu")
class MtuTest {

    @TestFactory
    @DisplayName("path MTU")
    Stream<DynamicTest> pathMtu(Scenario scenario) {
        Fleet fleet = scenario.fleet();
        List<DynamicTest> checks = new ArrayList<>();
        for (IpFamily family : fleet.families()) {
            for (Fleet.Path path : fleet.crossNodePaths(family)) {
                checks.add(dynamicTest("DF ping " + path.label(), () -> check(scenario, path.from(), path.toIp(),
                        path.to().node(), path.label())));
                String nodeIp = scenario.run().nodeAddress(path.to().node(), family);
                if (nodeIp != null) {
                    checks.add(dynamicTest("DF ping " + path.from().node() + " → host network of " + path.to().node()
                            + " (" + family.label() + ")", () -> check(scenario, path.from(), nodeIp,
                            "host " + path.to().node(), path.from().node() + " → host network of " + path.to().node())));
                }
            }
        }
        return Stream.concat(checks.stream(), fleet.crossNodeSkippedOnSingleNode());
    }

    private static void check(Scenario scenario, Fleet.Member from, String ip, String to, String label) {
        CniProfile cni = scenario.cni();
        OptionalInt configured = cni.expectedMtu();
        boolean strict = cni.mtuStrict() && configured.isPresent();
        int expected = strict ? configured.getAsInt() : interfaceMtu(scenario, from);
        Report.parameter("CNI", cni.name());
        Report.parameter("from", from.node());
        Report.parameter("to", to);
        Report.parameter("IP family", IpFamily.of(ip).label());
        Report.parameter("expected MTU", expected);
        PathMtu mtu = PathMtu.discover(scenario.run().executor(), from.ref(), ip, expected,
                scenario.probeTimeout());
        scenario.run().summary().mtu(new Summary.Mtu(from.node(), to, false, IpFamily.of(ip).label(), expected,
                mtu.interfaceMtu().isPresent() ? mtu.interfaceMtu().getAsInt() : null,
                mtu.pmtu().isPresent() ? mtu.pmtu().getAsInt() : null, mtu.passSize(), mtu.passed(),
                mtu.failSizeOutcome().name()));
        if (mtu.passSizeResult().outcome() == DfOutcome.ERROR || mtu.failSizeResult().outcome() == DfOutcome.ERROR) {
            // an exec that failed after its retries observed nothing about the path: not an MTU finding
            throw scenario.broken(BrokenCheck.of(label + ": could not observe the path MTU\n" + mtu.detail())
                    .reproduce(mtu.reproduce()), List.of(from.ref()));
        }
        String source = strict ? "expected " + expected + " (" + cni.mtu().source() + ")"
                : "CNI " + cni.name() + " gives no expectation: checked against the pod's interface MTU " + expected;
        boolean interfaceWrong = strict && !mtu.interfaceMatches();
        if (!mtu.passed() || interfaceWrong) {
            throw scenario.failure(CheckFailure.of(FailureKind.MTU, label + ": " + source + ", found interface MTU "
                    + (mtu.interfaceMtu().isPresent() ? mtu.interfaceMtu().getAsInt() : "unreadable")
                    + (mtu.pmtu().isPresent() ? ", tracepath pmtu " + mtu.pmtu().getAsInt() : "") + "\n" + mtu.detail())
                    .reproduce(mtu.reproduce()), List.of(from.ref()));
        }
    }

    /** For an unknown CNI: what the pod was given is what the path must carry. */
    private static int interfaceMtu(Scenario scenario, Fleet.Member from) {
        var result = scenario.run().executor().exec(from.ref(), LinkMtu.sysfsCommand("eth0"), scenario.probeTimeout()
                .plusSeconds(5));
        OptionalInt mtu = result.completed() && result.exitCode() == 0 ? LinkMtu.sysfsMtu(result.stdout()) : OptionalInt.empty();
        if (mtu.isEmpty()) {
            throw scenario.broken(BrokenCheck.of("cannot read the MTU of eth0 in " + from + " (" + result + ")")
                    .reproduce(from.ref().kubectlExec(LinkMtu.sysfsCommand("eth0"))), List.of(from.ref()));
        }
        return mtu.getAsInt();
    }
}
