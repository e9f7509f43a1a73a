package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The path-MTU check between two pods: a don't-fragment ping of {@code MTU - 28} bytes (IPv6: 48) must get
 * through and one of {@code MTU - 27} must not, and how it fails is named (the pod's own route refused it,
 * a hop answered "frag needed", or it vanished: a PMTU black hole). Testing only the passing size, as other
 * tools do, cannot tell a 1450 path from a 9000 one.
 *
 * @param ip              the destination
 * @param expectedMtu     the path MTU the check requires
 * @param device          the source pod's interface towards {@code ip}, when {@code ip route get} named one
 * @param interfaceMtu    that interface's MTU, read before any probe (a probe may teach the route a smaller PMTU)
 * @param passSize        the payload that must fit: {@code expectedMtu} minus the IP and ICMP headers
 * @param passSizeResult  what the DF ping of {@code passSize} showed
 * @param failSizeResult  what the DF ping of {@code passSize + 1} showed
 * @param pmtu            the path MTU {@code tracepath} reported, when it ran and reported one
 * @param passed          {@code passSize} passed and {@code passSize + 1} was refused (locally or by a hop)
 * @param detail          one line per finding, each naming the size, the outcome and its evidence
 * @param reproduce       the exec line of each command run, in order
 */
public record PathMtu(String ip, int expectedMtu, Optional<String> device, OptionalInt interfaceMtu, int passSize,
                      DfResult passSizeResult, DfResult failSizeResult, OptionalInt pmtu, boolean passed,
                      String detail, List<String> reproduce) {

    private static final Pattern ROUTE_DEVICE = Pattern.compile("\\bdev (\\S+)");

    public PathMtu {
        reproduce = List.copyOf(reproduce);
    }

    /** IP plus ICMP header bytes a DF ping's payload leaves room for. */
    public static int headerBytes(String ip) {
        return Text.isIpv6(ip) ? 48 : 28;
    }

    /**
     * Runs the check from {@code source} to {@code ip}: interface MTU, the two DF pings (in that order, so the
     * one-byte-over ping is the first oversized packet and a hop's "frag needed" is seen), then tracepath.
     * Exec failures do not throw: they become {@link DfOutcome#ERROR} or an empty MTU, and {@code passed} is false.
     */
    public static PathMtu discover(Executor executor, PodRef source, String ip, int expectedMtu, Duration timeout) {
        int passSize = expectedMtu - headerBytes(ip);
        if (passSize < 0) {
            throw new IllegalArgumentException("expected MTU " + expectedMtu + " is smaller than the "
                    + headerBytes(ip) + " header bytes of a ping to " + ip);
        }
        List<String> reproduce = new ArrayList<>();
        Interface link = readInterface(executor, source, ip, timeout, reproduce);
        DfResult pass = dfPing(executor, source, ip, passSize, timeout, reproduce);
        DfResult fail = dfPing(executor, source, ip, passSize + 1, timeout, reproduce);
        Probe tracepath = Probe.tracepath(ip);
        ProbeResult trace = tracepath.run(executor, source);
        reproduce.add(trace.reproduce());
        OptionalInt pmtu = trace.metrics().containsKey("pmtu")
                ? OptionalInt.of(trace.metrics().get("pmtu").intValue()) : OptionalInt.empty();
        return of(ip, expectedMtu, link.device(), link.mtu(), passSize, pass, fail, pmtu, reproduce);
    }

    /** Judges the observations; {@link #discover} is this plus running the commands. */
    static PathMtu of(String ip, int expectedMtu, Optional<String> device, OptionalInt interfaceMtu, int passSize,
                      DfResult pass, DfResult fail, OptionalInt pmtu, List<String> reproduce) {
        boolean failRefused = fail.outcome() == DfOutcome.REFUSED_LOCALLY || fail.outcome() == DfOutcome.REFUSED_BY_HOP;
        boolean passed = pass.outcome() == DfOutcome.PASSED && failRefused;
        List<String> lines = new ArrayList<>();
        lines.add((passed ? "path MTU " + expectedMtu + " confirmed" : "path MTU is not " + expectedMtu) + " to " + ip);
        lines.add(passSize + " bytes (must pass): " + pass.outcome() + ": " + pass.detail());
        lines.add((passSize + 1) + " bytes (must fail): " + fail.outcome() + ": " + fail.detail()
                + (fail.outcome() == DfOutcome.SILENTLY_DROPPED
                        ? " (a PMTU black hole: large packets vanish without the ICMP error that would shrink them)" : "")
                + (fail.outcome() == DfOutcome.PASSED ? " (the path carries more than " + expectedMtu + ")" : ""));
        String dev = device.orElse("the pod interface");
        interfaceMtu.ifPresentOrElse(mtu -> lines.add(dev + " mtu " + mtu + (mtu == expectedMtu ? ""
                        : mtu > expectedMtu ? " is above the path MTU: larger packets rely on PMTU discovery"
                        : " is below the path MTU")),
                () -> lines.add(dev + " mtu: could not be read"));
        pmtu.ifPresentOrElse(p -> lines.add("tracepath pmtu " + p), () -> lines.add("tracepath reported no pmtu"));
        return new PathMtu(ip, expectedMtu, device, interfaceMtu, passSize, pass, fail, pmtu, passed,
                String.join("\n", lines), reproduce);
    }

    public DfOutcome failSizeOutcome() {
        return failSizeResult.outcome();
    }

    /** Whether the source pod's interface has the expected MTU; false when it could not be read. */
    public boolean interfaceMatches() {
        return interfaceMtu.isPresent() && interfaceMtu.getAsInt() == expectedMtu;
    }

    private record Interface(Optional<String> device, OptionalInt mtu) {
    }

    /** The device the route to {@code ip} leaves by, and its MTU from sysfs (or {@code ip link} where sysfs is not mounted). */
    private static Interface readInterface(Executor executor, PodRef source, String ip, Duration timeout,
                                           List<String> reproduce) {
        List<String> route = LinkMtu.routeCommand(ip);
        ExecResult routed = exec(executor, source, route, timeout, reproduce);
        Optional<String> device = Optional.empty();
        if (routed.completed() && routed.exitCode() == 0) {
            Matcher m = ROUTE_DEVICE.matcher(routed.stdout());
            device = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
        if (device.isEmpty()) {
            return new Interface(device, OptionalInt.empty());
        }
        ExecResult sysfs = exec(executor, source, LinkMtu.sysfsCommand(device.get()), timeout, reproduce);
        OptionalInt mtu = sysfs.completed() && sysfs.exitCode() == 0 ? LinkMtu.sysfsMtu(sysfs.stdout()) : OptionalInt.empty();
        if (mtu.isEmpty()) {
            ExecResult link = exec(executor, source, LinkMtu.linkCommand(device.get()), timeout, reproduce);
            mtu = link.completed() && link.exitCode() == 0 ? LinkMtu.linkMtu(link.stdout()) : OptionalInt.empty();
        }
        return new Interface(device, mtu);
    }

    private static DfResult dfPing(Executor executor, PodRef source, String ip, int payload, Duration timeout,
                                   List<String> reproduce) {
        ProbeResult result = Probe.dfPing(ip, payload, timeout).run(executor, source);
        reproduce.add(result.reproduce());
        return DfResult.of(result);
    }

    private static ExecResult exec(Executor executor, PodRef source, List<String> command, Duration timeout,
                                   List<String> reproduce) {
        reproduce.add(source.kubectlExec(command));
        return executor.exec(source, command, timeout.plus(Probe.EXEC_MARGIN));
    }
}
