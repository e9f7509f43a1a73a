package io.netconform.probe.lab;

import io.netconform.bench.BenchPath;
import io.netconform.bench.BenchSettings;
import io.netconform.bench.Benchmark;
import io.netconform.bench.Figure;
import io.netconform.bench.Metric;
import io.netconform.bench.PathResult;
import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.probe.BatchProber;
import io.netconform.probe.DfOutcome;
import io.netconform.probe.DfResult;
import io.netconform.probe.DnsAnswer;
import io.netconform.probe.DnsResult;
import io.netconform.probe.LinkMtu;
import io.netconform.probe.PathMtu;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static io.netconform.probe.lab.ProbeLab.DNS_IP;
import static io.netconform.probe.lab.ProbeLab.DROP_ALL_IP;
import static io.netconform.probe.lab.ProbeLab.ECHO_PORT;
import static io.netconform.probe.lab.ProbeLab.HTTP_PORT;
import static io.netconform.probe.lab.ProbeLab.PA;
import static io.netconform.probe.lab.ProbeLab.PB_IP;
import static io.netconform.probe.lab.ProbeLab.PC;
import static io.netconform.probe.lab.ProbeLab.POD_MTU;
import static io.netconform.probe.lab.ProbeLab.SERVICE_NAME;
import static io.netconform.probe.lab.ProbeLab.TCP_DROPPED_PORT;
import static io.netconform.probe.lab.ProbeLab.TCP_REJECTED_PORT;
import static io.netconform.probe.lab.ProbeLab.UDP_DROPPED_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real probe classes, not raw commands, through the same {@link io.netconform.exec.Executor} seam a
 * cluster uses, against a real kernel: every parser meets the output of the running tool, and a batch of
 * probes in one exec must give the verdicts the same probes gave one exec each.
 */
@Tag("netlab")
@RequiresProbeLab
class ProbesInLabTest {

    private static final Duration T = Duration.ofSeconds(1);
    private static final String MISSING = "missing.default.svc.cluster.local";
    /** Nothing listens here on pb and no rule filters it: the kernel itself answers with RST / port unreachable. */
    private static final int CLOSED_PORT = 9001;
    /**
     * Node 1 forwards this network towards node 2 but its FORWARD chain rejects it with ICMP net unreachable, as
     * a router without the route or a firewall would. Not a plain missing route: the kernel's own answer to that
     * (ip_error) is limited to a burst of 5 per source by the host-wide net.ipv4.route.error_burst, so a batch
     * of probes would see the later ones time out.
     */
    private static final String UNREACHABLE_NET = "10.77.9.0/24";
    private static final String UNREACHABLE_IP = "10.77.9.9";

    /** Every probe pa runs, with the verdict the lab's wiring dictates; keys double as batch keys. */
    private static final Map<String, Probe> PROBES = new LinkedHashMap<>();
    private static final Map<String, Verdict> EXPECTED = new LinkedHashMap<>();

    static {
        probe("df ping MTU-28", Probe.dfPing(PB_IP, POD_MTU - 28, T), Verdict.ALLOWED);
        probe("df ping MTU-27", Probe.dfPing(PB_IP, POD_MTU - 27, T), Verdict.REFUSED);
        probe("tracepath", Probe.tracepath(PB_IP), Verdict.ALLOWED);
        probe("ping", Probe.ping(PB_IP, 3, T), Verdict.ALLOWED);
        probe("dig service udp", Probe.dig(DNS_IP, SERVICE_NAME, T, false), Verdict.ALLOWED);
        probe("dig service tcp", Probe.dig(DNS_IP, SERVICE_NAME, T, true), Verdict.ALLOWED);
        probe("dig missing udp", Probe.dig(DNS_IP, MISSING, T, false), Verdict.ALLOWED);
        probe("dig missing tcp", Probe.dig(DNS_IP, MISSING, T, true), Verdict.ALLOWED);
        probe("dig silent udp", Probe.dig(DROP_ALL_IP, SERVICE_NAME, T, false), Verdict.TIMEOUT);
        probe("dig silent tcp", Probe.dig(DROP_ALL_IP, SERVICE_NAME, T, true), Verdict.TIMEOUT);
        probe("dig no server tcp", Probe.dig(PB_IP, SERVICE_NAME, T, true), Verdict.REFUSED);
        probe("dig +search", Probe.digSearch("web", T), Verdict.ALLOWED);
        probe("nslookup service", Probe.nslookup(DNS_IP, SERVICE_NAME, T), Verdict.ALLOWED);
        probe("nslookup missing", Probe.nslookup(DNS_IP, MISSING, T), Verdict.ALLOWED);
        probe("nslookup silent", Probe.nslookup(DROP_ALL_IP, SERVICE_NAME, T), Verdict.TIMEOUT);
        probe("tcp open", Probe.tcpConnect(PB_IP, HTTP_PORT, T), Verdict.ALLOWED);
        probe("tcp dropped", Probe.tcpConnect(PB_IP, TCP_DROPPED_PORT, T), Verdict.TIMEOUT);
        probe("tcp rejected", Probe.tcpConnect(PB_IP, TCP_REJECTED_PORT, T), Verdict.REFUSED);
        probe("tcp closed", Probe.tcpConnect(PB_IP, CLOSED_PORT, T), Verdict.REFUSED);
        probe("http open", Probe.http(PB_IP, HTTP_PORT, T), Verdict.ALLOWED);
        probe("http dropped", Probe.http(PB_IP, TCP_DROPPED_PORT, T), Verdict.TIMEOUT);
        probe("http rejected", Probe.http(PB_IP, TCP_REJECTED_PORT, T), Verdict.REFUSED);
        probe("udp echo", Probe.udpEcho(PB_IP, ECHO_PORT, T), Verdict.ALLOWED);
        probe("udp dropped", Probe.udpEcho(PB_IP, UDP_DROPPED_PORT, T), Verdict.TIMEOUT);
        probe("udp closed", Probe.udpEcho(PB_IP, CLOSED_PORT, T), Verdict.REFUSED);
        probe("ping net unreachable", Probe.ping(UNREACHABLE_IP, 2, T), Verdict.REFUSED);
        probe("tracepath net unreachable", Probe.tracepath(UNREACHABLE_IP), Verdict.REFUSED);
        probe("tcp net unreachable", Probe.tcpConnect(UNREACHABLE_IP, HTTP_PORT, T), Verdict.REFUSED);
        probe("http net unreachable", Probe.http(UNREACHABLE_IP, HTTP_PORT, T), Verdict.REFUSED);
        probe("dig net unreachable tcp", Probe.dig(UNREACHABLE_IP, SERVICE_NAME, T, true), Verdict.REFUSED);
    }

    private static void probe(String key, Probe probe, Verdict expected) {
        PROBES.put(key, probe);
        EXPECTED.put(key, expected);
    }

    private static ProbeLab lab;
    private static CountingExecutor executor;
    /** Each probe's own-exec result, kept so the batch test compares against the runs the other tests made. */
    private static final Map<String, ProbeResult> SINGLE = new ConcurrentHashMap<>();

    @BeforeAll
    static void startLab() {
        lab = ProbeLab.start();
        executor = new CountingExecutor(lab.executor());
        String node1 = lab.namespaces().get("n1");
        node1(List.of("ip", "-n", node1, "route", "add", UNREACHABLE_NET, "via", "10.79.0.2", "dev", "vxlan0"));
        node1(List.of("ip", "netns", "exec", node1, "iptables", "-w", "-A", "FORWARD", "-d", UNREACHABLE_NET,
                "-j", "REJECT", "--reject-with", "icmp-net-unreachable"));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
            System.out.printf("probes-in-lab: lab set-up %d ms, teardown %d ms, %d execs%n",
                    lab.setupTime().toMillis(), lab.teardownTime().toMillis(), executor.execs());
        }
    }

    private static void node1(List<String> command) {
        ExecResult result = NetnsExecutor.run(command, Duration.ofSeconds(10));
        assertThat(result.completed() && result.exitCode() == 0)
                .as("lab set-up step: %s: %s%n%s", NetnsExecutor.line(command), result, result.output()).isTrue();
    }

    /** Runs the probe {@code key} from pa in its own exec, once per class run, and checks its verdict. */
    private static ProbeResult single(String key) {
        ProbeResult result = SINGLE.computeIfAbsent(key, k -> PROBES.get(k).run(executor, lab.pod(PA)));
        assertThat(result.verdict()).as("%s: expected %s, got %s%nreproduce: %s%n%s", key, EXPECTED.get(key), result,
                reproduce(PA, PROBES.get(key)), result.output()).isEqualTo(EXPECTED.get(key));
        return result;
    }

    private static String reproduce(String pod, Probe probe) {
        return lab.executor().reproduce(lab.pod(pod), probe.command());
    }

    private static ExecResult run(String pod, List<String> command) {
        ExecResult result = executor.exec(lab.pod(pod), command, Duration.ofSeconds(10));
        assertThat(result.completed() && result.exitCode() == 0)
                .as("%s in %s: %s%n%s", command, pod, result, result.output()).isTrue();
        return result;
    }

    /** Forgets the path MTU pc learnt, so its next oversized packet leaves the pod and meets the node. */
    private static void flushRouteCache(String pod) {
        run(pod, List.of("ip", "route", "flush", "cache"));
    }

    @Nested
    class Mtu {

        @Test
        void mtuMinus28PassesFromBothPods() {
            DfResult fromPa = DfResult.of(single("df ping MTU-28"));
            flushRouteCache(PC);
            Probe probe = Probe.dfPing(PB_IP, POD_MTU - 28, T);
            ProbeResult pc = probe.run(executor, lab.pod(PC));

            assertThat(fromPa.outcome()).as(fromPa.detail()).isEqualTo(DfOutcome.PASSED);
            assertThat(DfResult.of(pc).outcome()).as("%s%n%s", pc, pc.output()).isEqualTo(DfOutcome.PASSED);
            assertThat(pc.metrics()).containsEntry("payload", 1422.0).containsEntry("received", 2.0);
        }

        @Test
        void mtuMinus27IsRefusedByThePodItselfWhenItsMtuIsRight() {
            ProbeResult result = single("df ping MTU-27");
            DfResult df = DfResult.of(result);

            assertThat(df.outcome()).as("%s%n%s", df, result.output()).isEqualTo(DfOutcome.REFUSED_LOCALLY);
            assertThat(df.mtu()).isEqualTo(OptionalInt.of(POD_MTU));
            assertThat(result.metrics()).containsEntry("mtu", 1450.0);
        }

        @Test
        void mtuMinus27IsRefusedByTheNodeWhenThePodMtuIsTooHigh() {
            flushRouteCache(PC);
            ProbeResult result = Probe.dfPing(PB_IP, POD_MTU - 27, T).run(executor, lab.pod(PC));
            DfResult df = DfResult.of(result);

            assertThat(df.outcome()).as("%s%n%s", df, result.output()).isEqualTo(DfOutcome.REFUSED_BY_HOP);
            assertThat(df.mtu()).isEqualTo(OptionalInt.of(POD_MTU));
            assertThat(df.detail()).contains("From " + ProbeLab.NODE1_GATEWAY);
            assertThat(result.verdict()).isEqualTo(Verdict.REFUSED);
        }

        @Test
        void tracepathFindsTheOverlayPmtuFromBothPods() {
            ProbeResult fromPa = single("tracepath");
            flushRouteCache(PC);
            ProbeResult fromPc = Probe.tracepath(PB_IP).run(executor, lab.pod(PC));

            assertThat(fromPa.metrics()).as("%s%n%s", fromPa, fromPa.output()).containsEntry("pmtu", 1450.0).containsEntry("hops", 3.0);
            assertThat(fromPc.verdict()).as("%s%n%s", fromPc, fromPc.output()).isEqualTo(Verdict.ALLOWED);
            assertThat(fromPc.metrics()).containsEntry("pmtu", 1450.0);
        }

        @Test
        void linkMtuReadsTheRealIpAndSysfsOutput() {
            String paLink = run(PA, LinkMtu.linkCommand("eth0")).stdout();
            String pcLink = run(PC, LinkMtu.linkCommand("eth0")).stdout();
            String paAll = run(PA, List.of("ip", "link")).stdout();
            String pcAddr = run(PC, List.of("ip", "addr", "show")).stdout();
            String paSysfs = run(PA, LinkMtu.sysfsCommand("eth0")).stdout();
            String pcSysfs = run(PC, LinkMtu.sysfsCommand("eth0")).stdout();

            assertThat(LinkMtu.linkMtu(paLink)).as(paLink).isEqualTo(OptionalInt.of(1450));
            assertThat(LinkMtu.linkMtu(pcLink)).as(pcLink).isEqualTo(OptionalInt.of(1500));
            assertThat(LinkMtu.interfaces(paAll)).as(paAll).containsExactly(Map.entry("lo", 65536), Map.entry("eth0", 1450));
            assertThat(LinkMtu.interfaces(pcAddr)).as(pcAddr).containsEntry("eth0", 1500);
            assertThat(LinkMtu.sysfsMtu(paSysfs)).isEqualTo(OptionalInt.of(1450));
            assertThat(LinkMtu.sysfsMtu(pcSysfs)).isEqualTo(OptionalInt.of(1500));
        }

        @Test
        void routeMtuIsWhatTheKernelLearntFromTheHop() {
            flushRouteCache(PC);
            String before = run(PC, LinkMtu.routeCommand(PB_IP)).stdout();
            Probe.dfPing(PB_IP, POD_MTU - 27, T).run(executor, lab.pod(PC));
            String after = run(PC, LinkMtu.routeCommand(PB_IP)).stdout();

            assertThat(LinkMtu.routeMtu(before)).as(before).isEmpty();
            assertThat(LinkMtu.routeMtu(after)).as(after).isEqualTo(OptionalInt.of(POD_MTU));
        }

        @Test
        void pathMtuCheckPassesOnTheRightPodAndNamesTheLocalRefusal() {
            PathMtu mtu = PathMtu.discover(executor, lab.pod(PA), PB_IP, POD_MTU, T);

            assertThat(mtu.passed()).as(mtu.detail()).isTrue();
            assertThat(mtu.passSize()).isEqualTo(1422);
            assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.REFUSED_LOCALLY);
            assertThat(mtu.interfaceMtu()).isEqualTo(OptionalInt.of(1450));
            assertThat(mtu.device()).contains("eth0");
            assertThat(mtu.interfaceMatches()).isTrue();
            assertThat(mtu.pmtu()).isEqualTo(OptionalInt.of(1450));
        }

        @Test
        void pathMtuCheckOnThePodWithTooHighMtuSeesTheHopAndTheMismatch() {
            flushRouteCache(PC);
            PathMtu mtu = PathMtu.discover(executor, lab.pod(PC), PB_IP, POD_MTU, T);

            assertThat(mtu.passed()).as(mtu.detail()).isTrue();
            assertThat(mtu.failSizeOutcome()).as(mtu.detail()).isEqualTo(DfOutcome.REFUSED_BY_HOP);
            assertThat(mtu.interfaceMtu()).isEqualTo(OptionalInt.of(1500));
            assertThat(mtu.interfaceMatches()).isFalse();
            assertThat(mtu.pmtu()).isEqualTo(OptionalInt.of(1450));
            assertThat(mtu.detail()).contains("eth0 mtu 1500 is above the path MTU");
        }

        @Test
        void pathMtuCheckExpectingJumboOverlayFailsAtThePassingSize() {
            PathMtu mtu = PathMtu.discover(executor, lab.pod(PA), PB_IP, 1500, T);

            assertThat(mtu.passed()).as(mtu.detail()).isFalse();
            assertThat(mtu.passSizeResult().outcome()).isEqualTo(DfOutcome.REFUSED_LOCALLY);
            assertThat(mtu.passSizeResult().mtu()).isEqualTo(OptionalInt.of(1450));
            assertThat(mtu.detail()).contains("path MTU is not 1500", "1472 bytes (must pass): REFUSED_LOCALLY");
            assertThat(mtu.reproduce()).anySatisfy(line -> assertThat(line).endsWith("ping -M do -s 1472 -c 2 -i 0.2 -W 1 " + PB_IP));
        }
    }

    @Nested
    class Dns {

        @Test
        void serviceNameResolvesOverUdpAndTcp() {
            for (String key : List.of("dig service udp", "dig service tcp", "dig +search", "nslookup service")) {
                DnsResult dns = DnsResult.of(single(key));
                assertThat(dns.answer()).as("%s: %s", key, dns).isEqualTo(DnsAnswer.RESOLVED);
                assertThat(dns.addresses()).as(key).containsExactly(PB_IP);
            }
            assertThat(single("dig service tcp").output()).contains("(TCP)");
        }

        @Test
        void nxdomainIsAnAnswerNotATimeout() {
            for (String key : List.of("dig missing udp", "dig missing tcp", "nslookup missing")) {
                ProbeResult result = single(key);
                assertThat(DnsResult.of(result).answer()).as("%s: %s%n%s", key, result, result.output())
                        .isEqualTo(DnsAnswer.NXDOMAIN);
                assertThat(result.exitCode()).as(key).isIn(0, 1);
            }
        }

        @Test
        void silentServerIsATimeoutNotAnAnswer() {
            for (String key : List.of("dig silent udp", "dig silent tcp", "nslookup silent")) {
                ProbeResult result = single(key);
                assertThat(DnsResult.of(result).answer()).as("%s: %s%n%s", key, result, result.output())
                        .isEqualTo(DnsAnswer.TIMEOUT);
                assertThat(result.elapsed()).as(key).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            }
        }

        @Test
        void noServerListeningIsUnreachable() {
            ProbeResult result = single("dig no server tcp");

            assertThat(DnsResult.of(result).answer()).as("%s%n%s", result, result.output()).isEqualTo(DnsAnswer.UNREACHABLE);
        }

        @Test
        void queryTimeIsAMetric() {
            assertThat(single("dig service udp").metrics()).containsKey("query_time_ms").containsEntry("addresses", 1.0);
        }
    }

    @Nested
    class TimeoutVersusRefused {

        @Test
        void tcpConnect() {
            assertThat(single("tcp open").detail()).contains("succeeded");
            assertThat(single("tcp dropped").detail()).contains("timed out");
            assertThat(single("tcp rejected").detail()).contains("Connection refused");
            assertThat(single("tcp closed").detail()).contains("Connection refused");
        }

        @Test
        void http() {
            assertThat(single("http open").metrics()).containsEntry("http_code", 200.0);
            assertThat(single("http dropped").detail()).startsWith("curl exit 28");
            assertThat(single("http rejected").detail()).startsWith("curl exit 7");
        }

        @Test
        void sctpWithoutListenerIsRefusedOrNamesTheKernelWithoutSctp() {
            ProbeResult sctp = Probe.sctpEcho(PB_IP, ECHO_PORT, T).run(executor, lab.pod(PA));
            // /proc/sys/net/sctp exists once the kernel has SCTP (built in or the module loaded)
            boolean kernelHasSctp = Files.isDirectory(Path.of("/proc/sys/net/sctp"));

            if (kernelHasSctp) {
                assertThat(sctp.verdict()).as("%s%n%s", sctp, sctp.output()).isEqualTo(Verdict.REFUSED);
            } else {
                assertThat(sctp.verdict()).as("%s%n%s", sctp, sctp.output()).isEqualTo(Verdict.ERROR);
                assertThat(sctp.detail()).contains("SCTP not supported by the kernel/CNI", "Protocol not supported");
            }
        }

        @Test
        void netUnreachableFromARouterIsRefusedNotATimeout() {
            assertThat(single("ping net unreachable").detail()).contains("From " + ProbeLab.NODE1_GATEWAY, "Destination Net Unreachable");
            assertThat(single("tracepath net unreachable").detail()).contains(ProbeLab.NODE1_GATEWAY + " answered unreachable (!N)");
            assertThat(single("tcp net unreachable").detail()).contains("Network is unreachable");
            assertThat(single("http net unreachable").detail()).startsWith("curl exit 7");
            assertThat(DnsResult.of(single("dig net unreachable tcp")).answer()).isEqualTo(DnsAnswer.UNREACHABLE);
            for (String key : List.of("ping net unreachable", "tcp net unreachable", "http net unreachable", "dig net unreachable tcp")) {
                assertThat(SINGLE.get(key).elapsed()).as("%s answered at once, not after a timeout", key)
                        .isLessThan(Duration.ofMillis(900));
            }
        }

        @Test
        void udpEcho() {
            assertThat(single("udp echo").detail()).contains("token echoed back");
            assertThat(single("udp dropped").detail()).contains("no echo");
            assertThat(single("udp closed").detail()).contains("Connection refused");
        }
    }

    @Nested
    class Ping {

        @Test
        void lossAndRoundTripTimesAreMeasured() {
            ProbeResult ping = single("ping");

            assertThat(ping.metrics()).as(ping.output()).containsEntry("transmitted", 3.0).containsEntry("received", 3.0)
                    .containsEntry("loss_percent", 0.0).containsKeys("rtt_min_ms", "rtt_avg_ms", "rtt_max_ms");
            assertThat(ping.metrics().get("rtt_avg_ms")).isPositive().isLessThan(50.0);
            assertThat(ping.metrics().get("rtt_min_ms")).isLessThanOrEqualTo(ping.metrics().get("rtt_max_ms"));
        }
    }

    @Nested
    class Batch {

        /** The batch's results by the names the requests were given (they are named checks). */
        private Map<String, ProbeResult> byName(Map<ProbeKey, ProbeResult> results) {
            Map<String, ProbeResult> named = new LinkedHashMap<>();
            results.forEach((key, result) -> named.put(key.toString(), result));
            return named;
        }

        private List<ProbeRequest> requests() {
            return PROBES.entrySet().stream()
                    .map(e -> new ProbeRequest(e.getKey(), lab.pod(PA), e.getValue(), "pb " + PB_IP)).toList();
        }

        @Test
        void everyProbeOfOnePodInOneExecGivesTheSingleExecVerdicts() {
            PROBES.keySet().forEach(ProbesInLabTest::single);
            CountingExecutor counted = new CountingExecutor(lab.executor());
            BatchProber prober = new BatchProber(counted, T);

            long t0 = System.nanoTime();
            Map<String, ProbeResult> batch = byName(prober.run(requests()));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(counted.execs()).isEqualTo(1);
            assertThat(prober.execCount()).isEqualTo(1);
            Map<String, Verdict> batchVerdicts = verdicts(batch);
            assertThat(batchVerdicts).as("batch vs single-exec verdicts; batch details:%n%s", details(batch))
                    .isEqualTo(verdicts(SINGLE));
            assertThat(DfResult.of(batch.get("df ping MTU-27")).outcome()).isEqualTo(DfOutcome.REFUSED_LOCALLY);
            assertThat(DnsResult.of(batch.get("dig missing tcp")).answer()).isEqualTo(DnsAnswer.NXDOMAIN);
            assertThat(batch.get("tracepath").metrics()).containsEntry("pmtu", 1450.0);
            assertThat(batch.get("ping").metrics()).containsKey("rtt_avg_ms");
            System.out.printf("probes-in-lab: batch of %d probes in 1 exec: %d ms%n", batch.size(), ms);
        }

        @Test
        void verifyReportsTheNeverConvergingPairWithItsReproduceLine() {
            Map<ProbeKey, Boolean> expectAllowed = new LinkedHashMap<>();
            EXPECTED.forEach((name, verdict) -> expectAllowed.put(new ProbeKey.Named(name), verdict == Verdict.ALLOWED));
            // a wrong expectation no amount of waiting fixes: iptables drops this port for good
            expectAllowed.put(new ProbeKey.Named("tcp dropped"), true);
            CountingExecutor counted = new CountingExecutor(lab.executor());
            BatchProber prober = new BatchProber(counted, T).withPollInterval(Duration.ofMillis(500));

            Verification v = prober.verify(requests(), expectAllowed, Duration.ofSeconds(2));

            assertThat(v.converged()).isFalse();
            assertThat(v.mismatches()).extracting(ProbedPair::name).as(v.describeFailures()).containsExactly("tcp dropped");
            assertThat(v.errors()).isEmpty();
            assertThat(v.pair(new ProbeKey.Named("tcp open")).converged()).isTrue();
            assertThat(v.rounds()).isGreaterThanOrEqualTo(2);
            assertThat(v.execs()).isEqualTo(v.rounds()).isEqualTo(counted.execs());
            String reproduce = lab.pod(PA).kubectlExec(PROBES.get("tcp dropped").command());
            assertThat(v.describeFailures())
                    .contains("tcp dropped (" + lab.pod(PA) + " -> pb " + PB_IP + ")   expected ALLOWED, got TIMEOUT (tcp connect: timed out")
                    .contains("  reproduce: " + reproduce)
                    .hasLineCount(2);
            System.out.printf("probes-in-lab: verify gave up after %d rounds, %d execs, %d ms%n",
                    v.rounds(), v.execs(), v.waited().toMillis());
        }

        private static Map<String, Verdict> verdicts(Map<String, ProbeResult> results) {
            return results.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().verdict()));
        }

        private static String details(Map<String, ProbeResult> results) {
            return results.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("\n"));
        }
    }

    @Nested
    class Bench {

        @Test
        void iperf3AndPingBetweenTheNodesThroughTheBenchmarkRunner() {
            assumeTrue(onPath("iperf3"), "iperf3 is not installed (apt-get install -y iperf3)");
            lab.startIperf3Server();
            PodRef pa = lab.pod(PA);
            BenchSettings settings = BenchSettings.defaults().withLatencySamples(5, 5).withRepeats(2, 0)
                    .withIperf(1, 2, "50M");
            Benchmark.Leg leg = new Benchmark.Leg(new BenchPath("pa", "pb", BenchPath.Placement.CROSS_NODE,
                    BenchPath.IpFamily.IPV4, BenchPath.Network.POD), pa, "probe lab (host tools)", PB_IP);

            long t0 = System.nanoTime();
            PathResult result = new Benchmark(lab.executor(), settings).measure(leg);
            long ms = (System.nanoTime() - t0) / 1_000_000;

            Figure rtt = ok(result, Metric.ICMP_RTT);
            assertThat(rtt.samples()).hasSize(5);
            assertThat(rtt.stats().mean()).isPositive().isLessThan(50.0);
            assertThat(ok(result, Metric.TCP_CONNECT).stats().mean()).isPositive().isLessThan(100.0);
            assertThat(ok(result, Metric.TCP_THROUGHPUT).stats().min()).isPositive();
            assertThat(ok(result, Metric.TCP_THROUGHPUT_MULTI).stats().min()).isPositive();
            assertThat(ok(result, Metric.UDP_THROUGHPUT).stats().min()).isPositive();
            assertThat(ok(result, Metric.UDP_LOSS).stats().max()).isBetween(0.0, 100.0);
            System.out.printf("probes-in-lab: bench pa -> pb in %d ms: rtt %.3f ms, tcp %.0f Mbit/s, %d streams %.0f Mbit/s,"
                            + " udp %.1f Mbit/s%n", ms, rtt.stats().mean(), ok(result, Metric.TCP_THROUGHPUT).stats().mean(),
                    settings.parallelStreams(), ok(result, Metric.TCP_THROUGHPUT_MULTI).stats().mean(),
                    ok(result, Metric.UDP_THROUGHPUT).stats().mean());
        }

        private static Figure ok(PathResult result, Metric metric) {
            Figure figure = result.figure(metric).orElseThrow(() -> new AssertionError("no " + metric + " figure in " + result));
            assertThat(figure.ok()).as("%s failed: %s%nreproduce: %s", metric, figure.error(), figure.reproduce()).isTrue();
            return figure;
        }

        private static boolean onPath(String tool) {
            return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
        }
    }
}
