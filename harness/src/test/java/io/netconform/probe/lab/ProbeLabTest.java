package io.netconform.probe.lab;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.netconform.probe.lab.ProbeLab.DNS_IP;
import static io.netconform.probe.lab.ProbeLab.DROP_ALL_IP;
import static io.netconform.probe.lab.ProbeLab.ECHO_PORT;
import static io.netconform.probe.lab.ProbeLab.NODE1_GATEWAY;
import static io.netconform.probe.lab.ProbeLab.PA;
import static io.netconform.probe.lab.ProbeLab.PB_IP;
import static io.netconform.probe.lab.ProbeLab.PC;
import static io.netconform.probe.lab.ProbeLab.SERVICE_NAME;
import static io.netconform.probe.lab.ProbeLab.TCP_DROPPED_PORT;
import static io.netconform.probe.lab.ProbeLab.TCP_REJECTED_PORT;
import static io.netconform.probe.lab.ProbeLab.UDP_DROPPED_PORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe commands against a real kernel: what each tool prints and exits with for a passing,
 * refused, dropped and oversized packet. These are the facts the probe parsers rely on, checked
 * live rather than taken from recorded text.
 */
@Tag("netlab")
@RequiresProbeLab
class ProbeLabTest {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static ProbeLab lab;

    @BeforeAll
    static void startLab() {
        lab = ProbeLab.start();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Runs {@code command} in {@code pod} and insists the exec itself worked, so only the network is under test. */
    private static ExecResult run(String pod, String... command) {
        PodRef ref = lab.pod(pod);
        ExecResult result = lab.executor().exec(ref, List.of(command), EXEC_TIMEOUT);
        assertThat(result.completed())
                .as("exec should complete, got %s%nreproduce: %s%n%s", result,
                        lab.executor().reproduce(ref, List.of(command)), result.output())
                .isTrue();
        return result;
    }

    private static String describe(ExecResult result) {
        return result + ":\n" + result.output();
    }

    @Nested
    class PathMtu {

        @Test
        void dfPingOfMtuMinus28PassesFromAPodWithTheRightMtu() {
            ExecResult ping = run(PA, "ping", "-M", "do", "-s", "1422", "-c", "1", "-W", "1", PB_IP);

            assertThat(ping.exitCode()).as(describe(ping)).isZero();
            assertThat(ping.stdout()).contains("1422(1450) bytes of data", "1430 bytes from " + PB_IP, "1 received");
        }

        @Test
        void dfPingOneByteOverFailsLocallyWhenThePodMtuIsRight() {
            ExecResult ping = run(PA, "ping", "-M", "do", "-s", "1423", "-c", "1", "-W", "1", PB_IP);

            assertThat(ping.exitCode()).as(describe(ping)).isEqualTo(1);
            assertThat(ping.output()).contains("local error: message too long, mtu=1450", "0 received");
        }

        @Test
        void podWithTooHighMtuLearnsThePathMtuFromFragNeededThenFailsLocally() {
            // Flushing the route cache forgets the PMTU learnt by earlier probes, so the first oversized
            // packet always leaves the pod and the node answers it; the second uses the cached PMTU.
            run(PC, "ip", "route", "flush", "cache");

            ExecResult first = run(PC, "ping", "-M", "do", "-s", "1423", "-c", "1", "-W", "1", PB_IP);
            ExecResult second = run(PC, "ping", "-M", "do", "-s", "1423", "-c", "1", "-W", "1", PB_IP);

            assertThat(first.exitCode()).as(describe(first)).isEqualTo(1);
            assertThat(first.output()).contains("From " + NODE1_GATEWAY + " icmp_seq=1 Frag needed and DF set (mtu = 1450)");
            assertThat(second.exitCode()).as(describe(second)).isEqualTo(1);
            assertThat(second.output()).contains("local error: message too long, mtu=1450");
        }

        @Test
        void dfPingOfMtuMinus28PassesEvenFromThePodWithTooHighMtu() {
            ExecResult ping = run(PC, "ping", "-M", "do", "-s", "1422", "-c", "1", "-W", "1", PB_IP);

            assertThat(ping.exitCode()).as(describe(ping)).isZero();
        }

        @Test
        void tracepathFindsThePathMtuOfTheOverlay() {
            ExecResult trace = run(PA, "tracepath", "-n", "-m", "5", PB_IP);

            assertThat(trace.exitCode()).as(describe(trace)).isZero();
            assertThat(trace.stdout()).contains("pmtu 1450", PB_IP, "reached").containsPattern("Resume: pmtu 1450 hops 3");
        }

        @Test
        void tracepathFromThePodWithTooHighMtuStartsAt1500AndLearns1450() {
            run(PC, "ip", "route", "flush", "cache");

            ExecResult trace = run(PC, "tracepath", "-n", "-m", "5", PB_IP);

            assertThat(trace.exitCode()).as(describe(trace)).isZero();
            assertThat(trace.stdout()).contains("[LOCALHOST]", "pmtu 1500", "Resume: pmtu 1450");
        }
    }

    @Nested
    class Dns {

        @Test
        void knownServiceNameResolvesToThePodAddress() {
            ExecResult dig = run(PA, "dig", "@" + DNS_IP, SERVICE_NAME, "+time=1", "+tries=1");

            assertThat(dig.exitCode()).as(describe(dig)).isZero();
            assertThat(dig.stdout()).contains("status: NOERROR").containsPattern(SERVICE_NAME.replace(".", "\\.") + "\\.\\s+\\d+\\s+IN\\s+A\\s+" + PB_IP);
        }

        @Test
        void unknownClusterNameIsNxdomainWithExitZero() {
            ExecResult dig = run(PA, "dig", "@" + DNS_IP, "missing.default.svc.cluster.local", "+time=1", "+tries=1");

            assertThat(dig.exitCode()).as("dig exits 0 on NXDOMAIN: the status header is the answer; " + describe(dig)).isZero();
            assertThat(dig.stdout()).contains("status: NXDOMAIN", "ANSWER: 0");
        }

        @Test
        void silentServerTimesOutWithExitNine() {
            ExecResult dig = run(PA, "dig", "@" + DROP_ALL_IP, SERVICE_NAME, "+time=1", "+tries=1");

            assertThat(dig.exitCode()).as(describe(dig)).isEqualTo(9);
            assertThat(dig.output()).contains("timed out", "no servers could be reached").doesNotContain("status:");
        }

        @Test
        void podResolvConfPointsAtTheLabDns() {
            ExecResult curl = run(PA, "curl", "-sS", "-m", "2", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}",
                    "http://web.default.svc.cluster.local/");

            assertThat(curl.exitCode()).as(describe(curl)).isZero();
            assertThat(curl.stdout()).isEqualTo("200 " + PB_IP);
        }
    }

    @Nested
    class Tcp {

        @Test
        void httpServerAnswers200() {
            ExecResult curl = run(PA, "curl", "-sS", "-m", "1", "-w", "\n%{http_code}", "http://" + PB_IP + "/");

            assertThat(curl.exitCode()).as(describe(curl)).isZero();
            assertThat(curl.stdout()).isEqualTo(ProbeLab.HTTP_BODY + "\n\n200");
        }

        @Test
        void iptablesRejectIsRefusedExitSeven() {
            ExecResult curl = run(PA, "curl", "-sS", "-m", "1", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://" + PB_IP + ":" + TCP_REJECTED_PORT + "/");

            assertThat(curl.exitCode()).as(describe(curl)).isEqualTo(7);
            assertThat(curl.stdout()).isEqualTo("000");
            assertThat(curl.stderr()).contains("curl: (7) Failed to connect to " + PB_IP + " port " + TCP_REJECTED_PORT);
        }

        @Test
        void closedPortWithoutAnyRuleIsRefusedToo() {
            ExecResult curl = run(PA, "curl", "-sS", "-m", "1", "-o", "/dev/null", "http://" + PB_IP + ":81/");

            assertThat(curl.exitCode()).as(describe(curl)).isEqualTo(7);
        }

        @Test
        void iptablesDropIsATimeoutExit28() {
            ExecResult curl = run(PA, "curl", "-sS", "-m", "1", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://" + PB_IP + ":" + TCP_DROPPED_PORT + "/");

            assertThat(curl.exitCode()).as(describe(curl)).isEqualTo(28);
            assertThat(curl.stdout()).isEqualTo("000");
            assertThat(curl.stderr()).contains("curl: (28)").contains("timed out");
            assertThat(curl.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }

        @Test
        void netcatTellsRefusedFromDropped() {
            ExecResult rejected = run(PA, "nc", "-zv", "-w", "1", PB_IP, String.valueOf(TCP_REJECTED_PORT));
            ExecResult dropped = run(PA, "nc", "-zv", "-w", "1", PB_IP, String.valueOf(TCP_DROPPED_PORT));
            ExecResult open = run(PA, "nc", "-zv", "-w", "1", PB_IP, String.valueOf(ECHO_PORT));

            assertThat(rejected.exitCode()).as(describe(rejected)).isEqualTo(1);
            assertThat(rejected.stderr()).contains("Connection refused");
            assertThat(dropped.exitCode()).as(describe(dropped)).isEqualTo(1);
            assertThat(dropped.stderr()).contains("timed out");
            assertThat(open.exitCode()).as(describe(open)).isZero();
            assertThat(open.stderr()).contains("succeeded");
        }
    }

    @Nested
    class Udp {

        private ExecResult echo(int port, String token) {
            // -t 1: after sending, wait up to a second for the reply before giving up
            return run(PA, "sh", "-c", "printf '%s\\n' " + token + " | socat -t 1 - UDP4:" + PB_IP + ":" + port);
        }

        @Test
        void echoServerSendsTheTokenBack() {
            String token = "ncl-" + UUID.randomUUID();

            ExecResult echo = echo(ECHO_PORT, token);

            assertThat(echo.exitCode()).as(describe(echo)).isZero();
            assertThat(echo.stdout()).isEqualTo(token + "\n");
        }

        @Test
        void droppedPortSendsNothingBackThoughAnEchoServerListensThere() {
            ExecResult echo = echo(UDP_DROPPED_PORT, "ncl-" + UUID.randomUUID());

            assertThat(echo.stdout()).as(describe(echo)).isEmpty();
        }

        @Test
        void netcatZeroIoScanSaysSucceededForOpenAndDroppedAlike() {
            // Why UDP needs a request/response probe: nc -zu only sends, and silence is all it can see.
            ExecResult open = run(PA, "nc", "-zuv", "-w", "1", PB_IP, String.valueOf(ECHO_PORT));
            ExecResult dropped = run(PA, "nc", "-zuv", "-w", "1", PB_IP, String.valueOf(UDP_DROPPED_PORT));

            assertThat(open.exitCode()).as(describe(open)).isZero();
            assertThat(dropped.exitCode()).as(describe(dropped)).isZero();
            assertThat(open.stderr()).contains("succeeded");
            assertThat(dropped.stderr()).contains("succeeded");
        }
    }

    @Nested
    class Topology {

        @Test
        void podsCarryTheirMtuAndTheNodesAreJoinedByVxlan42() {
            ExecResult pa = run(PA, "ip", "-o", "link", "show", "eth0");
            ExecResult pc = run(PC, "ip", "-o", "link", "show", "eth0");
            ExecResult node1 = NetnsExecutor.run(List.of("ip", "-n", lab.namespaces().get("n1"), "-d", "-o", "link", "show", "vxlan0"), EXEC_TIMEOUT);

            assertThat(pa.stdout()).contains("mtu 1450");
            assertThat(pc.stdout()).contains("mtu 1500");
            assertThat(node1.stdout()).as(describe(node1)).contains("mtu 1450", "vxlan id 42", "dstport 4789", "remote 10.78.0.2");
        }
    }

    @Nested
    class Executor {

        @Test
        void passesTheExitCodeAndBothStreamsThrough() {
            ExecResult result = run(PA, "sh", "-c", "echo out; echo err >&2; exit 3");

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
        }

        @Test
        void runsInThePodsNetworkNamespace() {
            ExecResult addr = run(PA, "ip", "-4", "-o", "addr", "show", "eth0");

            assertThat(addr.stdout()).contains("inet " + ProbeLab.PA_IP + "/24");
        }

        @Test
        void commandOutlivingTheTimeoutIsKilledAndTimedOut() {
            long before = System.nanoTime();
            ExecResult result = lab.executor().exec(lab.pod(PA), List.of("sh", "-c", "echo started; sleep 30"), Duration.ofMillis(300));

            assertThat(result.status()).as(result.toString()).isEqualTo(ExecResult.Status.TIMED_OUT);
            assertThat(result.stdout()).isEqualTo("started\n");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
        }

        @Test
        void unknownPodIsATransportErrorNotAVerdict() {
            ExecResult result = lab.executor().exec(new PodRef(lab.name(), "nope", "main"), List.of("true"), EXEC_TIMEOUT);

            assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
            assertThat(result.error()).contains("nope", lab.name() + "/pa");
        }

        @Test
        void podOfAnotherLabIsATransportError() {
            ExecResult result = lab.executor().exec(new PodRef("another-lab", PA, "main"), List.of("true"), EXEC_TIMEOUT);

            assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
        }

        @Test
        void missingBinaryIsATransportError() {
            ExecResult result = lab.executor().exec(lab.pod(PA), List.of("no-such-probe-tool"), EXEC_TIMEOUT);

            assertThat(result.status()).as(result.toString()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
            assertThat(result.error()).contains("no-such-probe-tool");
        }
    }
}
