package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.policy.Port;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every parser against the real outputs in the fixtures directory. */
class ParsersTest {

    static final Duration T = Duration.ofSeconds(2);
    static final String IP = "10.244.1.10";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "01-ping-c3-pod-to-pod.txt, ALLOWED",
            "08-busybox-ping-s1423-no-df-control.txt, ALLOWED",
            "08b-busybox-ping-c3.txt, ALLOWED",
            "07-busybox-ping-M-do.txt, ERROR",
            "06-busybox-ping-help.txt, ERROR",
    })
    void ping(String fixture, Verdict expected) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.ping(IP, 3, T));
        assertThat(r.verdict()).as(r.detail()).isEqualTo(expected);
    }

    @Test
    void pingReadsLossAndRttFromIputilsAndBusybox() {
        ProbeResult iputils = Fixture.load("01-ping-c3-pod-to-pod.txt").readWith(Probe.ping(IP, 3, T));
        assertThat(iputils.metrics()).containsEntry("loss_percent", 0.0).containsEntry("received", 3.0)
                .containsEntry("rtt_min_ms", 0.131).containsEntry("rtt_avg_ms", 0.196).containsEntry("rtt_max_ms", 0.304);
        ProbeResult busybox = Fixture.load("08b-busybox-ping-c3.txt").readWith(Probe.ping(IP, 3, T));
        assertThat(busybox.metrics()).containsEntry("rtt_avg_ms", 0.143).containsEntry("transmitted", 3.0);
    }

    @Test
    void pingWithoutReplyIsTimeoutAndUnreachableIsRefused() {
        Probe ping = Probe.ping(IP, 2, T);
        String lost = "PING 10.244.1.10 (10.244.1.10) 56(84) bytes of data.\n\n--- 10.244.1.10 ping statistics ---\n"
                + "2 packets transmitted, 0 received, 100% packet loss, time 1019ms\n\n";
        assertThat(ping.interpret(1, lost).verdict()).isEqualTo(Verdict.TIMEOUT);
        String unreachable = "PING 10.244.1.10 (10.244.1.10) 56(84) bytes of data.\n"
                + "From 10.244.0.1 icmp_seq=1 Destination Host Unreachable\n\n--- 10.244.1.10 ping statistics ---\n"
                + "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1019ms\n";
        assertThat(ping.interpret(1, unreachable).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(ping.interpret(2, "ping: socket: Operation not permitted\n").detail()).contains("CAP_NET_RAW");
    }

    @Test
    void ipv6PingAndDfPingCarryTheFamilyFlag() {
        assertThat(Probe.ping("fd00::1", 3, T).command()).containsExactly("ping", "-6", "-c", "3", "-W", "2", "-i", "0.2", "fd00::1");
        assertThat(Probe.dfPing("fd00::1", 1402, T).command())
                .containsExactly("ping", "-6", "-M", "do", "-s", "1402", "-c", "2", "-i", "0.2", "-W", "2", "fd00::1");
        assertThat(Probe.tracepath("fd00::1").command()).containsExactly("tracepath", "-6", "-n", "fd00::1");
    }

    /** A dual-stack run probes every port per family: an IPv6 literal must reach each tool in the form it parses. */
    @Test
    void everyPortProbeTakesAnIpv6Literal() {
        assertThat(Probe.port("fd00:10:244::a", Port.tcp(8080), T).command())
                .containsExactly("nc", "-z", "-v", "-w", "2", "fd00:10:244::a", "8080");
        assertThat(Probe.port("fd00:10:244::a", Port.udp(8081), T).command().get(2))
                .matches("echo nc-[0-9a-f]{16} \\| socat -t 2 -T 2 - UDP:\\[fd00:10:244::a\\]:8081");
        assertThat(Probe.port("fd00:10:244::a", Port.sctp(8082), T).command().get(2))
                .contains(" - SCTP:[fd00:10:244::a]:8082,");
        assertThat(Probe.busyboxHttp("fd00:10:244::a", 80, T).command()).last().isEqualTo("http://[fd00:10:244::a]:80/");
        assertThat(Probe.port("10.244.1.10", Port.udp(8081), T).command().get(2)).endsWith(" - UDP:10.244.1.10:8081");
    }

    @ParameterizedTest(name = "{0} -> {1} mtu {2}")
    @CsvSource({
            "02-ping-df-1422-ok.txt, PASSED, -1",
            "04b-ping-df-1422-ok-mtu1500pod.txt, PASSED, -1",
            "03-ping-df-1423-fail-local-mtu.txt, REFUSED_LOCALLY, 1450",
            "04-ping-df-1423-fail-icmp-fragneeded-mtu1500pod.txt, REFUSED_BY_HOP, 1450",
            "07-busybox-ping-M-do.txt, ERROR, -1",
    })
    void dfPing(String fixture, DfOutcome expected, int mtu) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.dfPing(IP, 1423, T));
        DfResult df = DfResult.of(r);
        assertThat(df.outcome()).as(df.detail()).isEqualTo(expected);
        assertThat(df.mtu()).isEqualTo(mtu < 0 ? OptionalInt.empty() : OptionalInt.of(mtu));
        assertThat(r.verdict()).isEqualTo(expected.verdict());
        if (mtu > 0) {
            assertThat(r.metrics()).containsEntry("mtu", (double) mtu);
        }
    }

    @Test
    void dfPingOnBusyboxSaysToUseNetshoot() {
        DfResult df = DfResult.of(Fixture.load("07-busybox-ping-M-do.txt").readWith(Probe.dfPing(IP, 1423, T)));
        assertThat(df.detail()).startsWith("busybox ping cannot set don't-fragment; use netshoot");
    }

    @Test
    void dfPingWithNeitherReplyNorErrorIsABlackHole() {
        String silent = "PING 10.244.1.10 (10.244.1.10) 1423(1451) bytes of data.\n\n--- 10.244.1.10 ping statistics ---\n"
                + "2 packets transmitted, 0 received, 100% packet loss, time 1018ms\n\n";
        ProbeResult r = Probe.dfPing(IP, 1423, T).read(ExecResult.completed(1, silent, "", T), "repro");
        assertThat(DfResult.of(r).outcome()).isEqualTo(DfOutcome.SILENTLY_DROPPED);
        assertThat(r.verdict()).isEqualTo(Verdict.TIMEOUT);
        String v6hop = "From fd00::1 icmp_seq=1 Packet too big: mtu=1430\n\n--- fd00::2 ping statistics ---\n"
                + "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1018ms\n";
        assertThat(DfResult.parse(1, v6hop).mtu()).hasValue(1430);
    }

    @ParameterizedTest
    @CsvSource({"05-tracepath-n.txt", "05b-tracepath-n-mtu1500pod.txt"})
    void tracepathReportsThePathMtu(String fixture) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.tracepath(IP));
        assertThat(r.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(r.metrics()).containsEntry("pmtu", 1450.0).containsEntry("hops", 3.0);
    }

    @Test
    void linkAndRouteMtu() {
        assertThat(LinkMtu.interfaces(Fixture.load("00-topology-node1.txt").output())).containsEntry("vxlan0", 1450);
        assertThat(LinkMtu.interfaces(Fixture.load("00-topology-pa.txt").output())).containsExactly(
                java.util.Map.entry("eth0", 1450));
        String routes = Fixture.load("00-topology-pa.txt").output().lines()
                .filter(l -> l.startsWith("default") || l.matches("^\\d+\\.\\d+.*")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(routes).contains("default via 10.244.0.1 dev eth0");
        assertThat(LinkMtu.routeMtu(routes)).isEmpty();
        assertThat(LinkMtu.linkMtu("2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP"
                + " mode DEFAULT group default qlen 1000\\    link/ether 42:8b:a2:46:b1:e7")).hasValue(1450);
        assertThat(LinkMtu.routeMtu("10.244.1.10 via 10.244.0.1 dev eth0 src 10.244.0.10 uid 0 \n    cache mtu 1400 \n"))
                .hasValue(1400);
        assertThat(LinkMtu.sysfsMtu("1450\n")).hasValue(1450);
        assertThat(LinkMtu.sysfsMtu("cat: can't open '/sys/class/net/eth9/mtu': No such file")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10-dig-exists.txt, RESOLVED, 10.244.1.10",
            "11-dig-nxdomain.txt, NXDOMAIN, ''",
            "12-dig-timeout.txt, TIMEOUT, ''",
            "12b-dig-short-exists.txt, RESOLVED, 10.244.1.10",
            "13-nslookup-exists.txt, RESOLVED, 10.244.1.10",
            "14-nslookup-nxdomain.txt, NXDOMAIN, ''",
            "15-nslookup-timeout.txt, TIMEOUT, ''",
            "16-busybox-nslookup-exists.txt, RESOLVED, 10.244.1.10",
            "17-busybox-nslookup-nxdomain.txt, NXDOMAIN, ''",
            "18-busybox-nslookup-timeout.txt, TIMEOUT, ''",
    })
    void dns(String fixture, DnsAnswer expected, String address) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.dig("10.244.1.53", "web.default.svc.cluster.local", T, false));
        DnsResult dns = DnsResult.of(r);
        assertThat(dns.answer()).as(dns.detail()).isEqualTo(expected);
        assertThat(dns.addresses()).isEqualTo(address.isEmpty() ? List.of() : List.of(address));
        // NXDOMAIN is an answer: the server was reached, whatever dig's exit code says
        assertThat(r.verdict()).isEqualTo(expected == DnsAnswer.TIMEOUT ? Verdict.TIMEOUT : Verdict.ALLOWED);
    }

    @Test
    void dnsRcodesAndTransportRefusal() {
        String servfail = ";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 1\n";
        assertThat(DnsResult.parse(0, servfail).answer()).isEqualTo(DnsAnswer.SERVFAIL);
        assertThat(DnsResult.parse(0, ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 2\n;; flags: qr; ANSWER: 0\n")
                .answer()).isEqualTo(DnsAnswer.NODATA);
        String tcpRefused = ";; communications error to 10.43.0.10#53: connection refused\n;; no servers could be reached\n";
        DnsResult refused = DnsResult.parse(9, tcpRefused);
        assertThat(refused.answer()).isEqualTo(DnsAnswer.UNREACHABLE);
        assertThat(Probe.dig("10.43.0.10", "x", T, true).interpret(9, tcpRefused).verdict()).isEqualTo(Verdict.REFUSED);
    }

    @Test
    void dnsCommands() {
        assertThat(Probe.dig("10.43.0.10", "kubernetes.default", T, true).command())
                .containsExactly("dig", "@10.43.0.10", "kubernetes.default", "+time=2", "+tries=1", "+tcp");
        assertThat(Probe.digSearch("kubernetes", T).command()).containsExactly("dig", "+search", "kubernetes", "+time=2", "+tries=1");
        assertThat(Probe.busyboxNslookup("10.43.0.10", "kubernetes", T).command())
                .containsExactly("timeout", "2", "busybox", "nslookup", "kubernetes", "10.43.0.10");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "20-curl-200.txt, ALLOWED",
            "21-curl-refused.txt, REFUSED",
            "22-curl-timeout.txt, TIMEOUT",
            "22b-curl-by-dns-name.txt, ALLOWED",
    })
    void curl(String fixture, Verdict expected) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.http(IP, 80, T));
        assertThat(r.verdict()).as(r.detail()).isEqualTo(expected);
        if (expected == Verdict.ALLOWED) {
            assertThat(r.metrics()).containsEntry("http_code", 200.0);
        }
    }

    @Test
    void curlCommandIsTheFixturesCommand() {
        assertThat(String.join(" ", Probe.http(IP, 81, T).command()))
                .isEqualTo("curl -sS -m 2 -o /dev/null -w %{http_code} http://10.244.1.10:81/");
        assertThat(Probe.http("fd00::1", 80, T).command()).last().isEqualTo("http://[fd00::1]:80/");
        assertThat(Probe.http(IP, 80, T).interpret(6, "curl: (6) Could not resolve host: web\n000").verdict())
                .isEqualTo(Verdict.ERROR);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "23-busybox-wget-200.txt, ERROR",
            "24-busybox-wget-refused.txt, ERROR",
            "25-busybox-wget-timeout.txt, ERROR",
            "26-busybox-wget-200-timeoutwrapper.txt, ALLOWED",
            "27-busybox-wget-refused-timeoutwrapper.txt, REFUSED",
            "28-busybox-wget-timeout-timeoutwrapper.txt, TIMEOUT",
    })
    void busyboxWget(String fixture, Verdict expected) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.busyboxHttp(IP, 80, Duration.ofSeconds(3)));
        assertThat(r.verdict()).as(r.detail()).isEqualTo(expected);
    }

    @Test
    void wgetCommandNeverUsesDashT() {
        assertThat(String.join(" ", Probe.busyboxHttp(IP, 81, Duration.ofSeconds(3)).command()))
                .isEqualTo("timeout 3 busybox wget -O - http://10.244.1.10:81/");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "30-nc-tcp-open.txt, ALLOWED",
            "31-nc-tcp-closed.txt, REFUSED",
            "32-nc-tcp-filtered.txt, TIMEOUT",
            "36-busybox-nc-tcp.txt, ERROR",
    })
    void ncTcp(String fixture, Verdict expected) {
        ProbeResult r = Fixture.load(fixture).readWith(Probe.tcpConnect(IP, 80, T));
        assertThat(r.verdict()).as(r.detail()).isEqualTo(expected);
        assertThat(String.join(" ", Probe.tcpConnect(IP, 80, T).command())).isEqualTo("nc -z -v -w 2 10.244.1.10 80");
    }

    @Test
    void ncZuCannotTellOpenFromFilteredWhichIsWhyUdpIsAnEcho() {
        String open = Fixture.load("33-nc-udp-open-dns.txt").output();
        String filtered = Fixture.load("35-nc-udp-filtered.txt").output();
        assertThat(filtered.replace("10.244.1.54", "10.244.1.53")).isEqualTo(open);
        assertThat(Probe.udpEcho(IP, 53, T).command().get(2)).contains("socat").doesNotContain("nc -zu");
    }

    // socat 1.7.4.4 messages as captured on this machine against 127.0.0.1 and a netns with DROP/REJECT rules
    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("socatOutputs")
    void socatEcho(String protocol, int exit, String output, Verdict expected, String detail) {
        Probe probe = protocol.equals("UDP") ? Probe.udpEcho(IP, 81, T) : Probe.sctpEcho(IP, 81, T);
        String token = probe.command().get(2).split(" ")[1];
        Probe.Reading r = probe.interpret(exit, output.replace("TOKEN", token));
        assertThat(r.verdict()).as(r.detail()).isEqualTo(expected);
        assertThat(r.detail()).contains(detail);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> socatOutputs() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("UDP", 0, "TOKEN\n", Verdict.ALLOWED, "echoed"),
                org.junit.jupiter.params.provider.Arguments.of("UDP", 1,
                        "2026/11/25 14:21:12 socat[17888] E read(5, 0x55c56fe79000, 8192): Connection refused\n",
                        Verdict.REFUSED, "Connection refused"),
                org.junit.jupiter.params.provider.Arguments.of("UDP", 0, "", Verdict.TIMEOUT, "no echo"),
                org.junit.jupiter.params.provider.Arguments.of("UDP", 0, "someone-else\n", Verdict.ERROR, "unrecognised"),
                org.junit.jupiter.params.provider.Arguments.of("SCTP", 0, "TOKEN\n", Verdict.ALLOWED, "echoed"),
                org.junit.jupiter.params.provider.Arguments.of("SCTP", 1,
                        "2026/11/25 14:21:12 socat[17893] E connect(5, AF=2 10.244.1.10:81, 16): Connection refused\n",
                        Verdict.REFUSED, "Connection refused"),
                org.junit.jupiter.params.provider.Arguments.of("SCTP", 1,
                        "2026/11/25 14:21:22 socat[19029] E connecting to AF=2 10.244.1.10:81: Connection timed out\n",
                        Verdict.TIMEOUT, "timed out"),
                org.junit.jupiter.params.provider.Arguments.of("SCTP", 1,
                        "2026/11/25 14:21:12 socat[17897] E socket(2, 1, 132): Protocol not supported\n",
                        Verdict.ERROR, "SCTP not supported by the kernel/CNI"));
    }

    @Test
    void sctpCommandBoundsTheConnect() {
        assertThat(Probe.sctpEcho("fd00::1", 80, T).command().get(2))
                .matches("echo nc-[0-9a-f]{16} \\| socat -t 2 -T 2 - SCTP:\\[fd00::1\\]:80,connect-timeout=2");
    }

    static Stream<Probe> everyProbe() {
        return Stream.of(Probe.ping(IP, 2, T), Probe.dfPing(IP, 1422, T), Probe.tracepath(IP), Probe.tcpConnect(IP, 80, T),
                Probe.http(IP, 80, T), Probe.busyboxHttp(IP, 80, T), Probe.udpEcho(IP, 80, T), Probe.sctpEcho(IP, 80, T),
                Probe.dig("10.43.0.10", "web", T, false), Probe.digSearch("web", T), Probe.nslookup("10.43.0.10", "web", T));
    }

    @ParameterizedTest
    @MethodSource("everyProbe")
    void anExecThatDidNotCompleteIsAnErrorWhateverItPrinted(Probe probe) {
        // a timed-out exec may carry a timeout-looking message: it still is no network verdict
        ExecResult timedOut = ExecResult.failed(ExecResult.Status.TIMED_OUT, "exec exceeded 7s",
                "curl: (28) Connection timed out after 2001 milliseconds\nConnection refused", "", Duration.ofSeconds(7));
        ProbeResult r = probe.read(timedOut, "repro");
        assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(r.detail()).contains("TIMED_OUT").contains("exec exceeded 7s");
        ExecResult broken = ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, "websocket closed", "", "", Duration.ZERO);
        assertThat(probe.read(broken, "repro").verdict()).isEqualTo(Verdict.ERROR);
    }

    @ParameterizedTest
    @MethodSource("everyProbe")
    void outputThatMatchesNothingIsAnErrorNotAGuess(Probe probe) {
        for (int exit : new int[] {0, 1, 2}) {
            Probe.Reading r = probe.interpret(exit, "sh: garbage: not found\n");
            assertThat(r.verdict()).as("exit %d: %s", exit, r.detail()).isEqualTo(Verdict.ERROR);
        }
    }
}
