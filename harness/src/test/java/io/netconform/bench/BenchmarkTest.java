package io.netconform.bench;

import io.netconform.probe.Fixture;
import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.netconform.bench.BenchPath.IpFamily.IPV4;
import static io.netconform.bench.BenchPath.Network.HOST;
import static io.netconform.bench.BenchPath.Network.POD;
import static io.netconform.bench.BenchPath.Placement.CROSS_NODE;
import static io.netconform.bench.BenchPath.Placement.SAME_NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchmarkTest {

    static final String TCP_JSON = Fixture.load("40-iperf3-json.txt").output();
    static final String REFUSED_JSON = Fixture.load("41-iperf3-refused.txt").output();
    // the numbers of fixture 43 in the shape `iperf3 -u -J` prints them
    static final String UDP_JSON = """
            {"start": {"test_start": {"protocol": "UDP", "num_streams": 1}}, "intervals": [],
             "end": {"sum": {"start": 0, "end": 2, "seconds": 2, "bytes": 24987500,
                     "bits_per_second": 99952752.00803967, "jitter_ms": 0.0018955309453461406,
                     "lost_packets": 35, "packets": 17875, "lost_percent": 0.1958041958041958, "sender": true}}}
            """;
    static final String CURL = "200 0.000400 0.001100\n200 0.000300 0.000900\n200 0.000500 0.001300\n";

    static final BenchSettings SETTINGS = BenchSettings.defaults().withLatencySamples(3, 3).withRepeats(2, 1);
    static final PodRef CLIENT = new PodRef("nc-bench", "client", "netshoot");
    static final BenchPath CROSS = new BenchPath("client", "server", CROSS_NODE, IPV4, POD);

    static FakeExecutor healthy() {
        return new FakeExecutor()
                .on("ping -c 3", FakeExecutor.ok(Fixture.load("01-ping-c3-pod-to-pod.txt").output()))
                .on("curl", FakeExecutor.ok(CURL))
                .on("-u -b 100M", FakeExecutor.ok(UDP_JSON))
                .on("iperf3 -c", FakeExecutor.ok(TCP_JSON));
    }

    @Test
    void everyFigureOfAHealthyPathIsMeasuredAfterWarmup() {
        FakeExecutor executor = healthy();
        PathResult result = new Benchmark(executor, SETTINGS)
                .measure(new Benchmark.Leg(CROSS, CLIENT, "nicolaka/netshoot:v0.13", "10.244.1.10"));

        Figure rtt = result.figure(Metric.ICMP_RTT).orElseThrow();
        assertThat(rtt.samples()).as("0.304 ms of the first reply is warm-up").containsExactly(0.131, 0.153);
        assertThat(rtt.warmup()).isEqualTo(1);
        assertThat(rtt.stats().mean()).isCloseTo(0.142, within(1e-12));
        assertThat(rtt.reproduce()).isEqualTo("kubectl exec -n nc-bench client -c netshoot -- ping -c 3 -i 0.2 -W 2 10.244.1.10");

        assertThat(result.figure(Metric.TCP_CONNECT).orElseThrow().samples()).containsExactly(0.3, 0.5);
        assertThat(result.figure(Metric.TCP_REQUEST_RESPONSE).orElseThrow().stats().mean()).isCloseTo(1.1, within(1e-9));

        Figure tcp = result.figure(Metric.TCP_THROUGHPUT).orElseThrow();
        assertThat(tcp.samples()).hasSize(2).allSatisfy(s -> assertThat(s).isCloseTo(11063.168523, within(1e-6)));
        assertThat(result.figure(Metric.TCP_RETRANSMITS).orElseThrow().stats().mean()).isEqualTo(3644);
        assertThat(result.figure(Metric.TCP_THROUGHPUT_MULTI).orElseThrow().reproduce()).endsWith("-J -t 5 -P 4");
        assertThat(result.figure(Metric.UDP_THROUGHPUT).orElseThrow().stats().mean()).isCloseTo(99.952752, within(1e-6));
        assertThat(result.figure(Metric.UDP_LOSS).orElseThrow().stats().mean()).isCloseTo(0.1958, within(1e-4));
        assertThat(result.figure(Metric.UDP_JITTER).orElseThrow().ok()).isTrue();
        assertThat(result.figures()).hasSize(9).allMatch(Figure::ok);
        // 1 ping + 1 curl loop + 3 iperf3 series of warm-up 1 + repeats 2
        assertThat(executor.calls).hasSize(2 + 3 * 3);
    }

    @Test
    void refusedIperf3IsAFailedMeasurementNotZeroThroughput() {
        FakeExecutor executor = new FakeExecutor()
                .on("ping", FakeExecutor.ok(Fixture.load("01-ping-c3-pod-to-pod.txt").output()))
                .on("curl", FakeExecutor.ok(CURL))
                .on("iperf3", FakeExecutor.ok(REFUSED_JSON));
        PathResult result = new Benchmark(executor, SETTINGS)
                .measure(new Benchmark.Leg(CROSS, CLIENT, "nicolaka/netshoot:v0.13", "10.244.1.10"));

        Figure tcp = result.figure(Metric.TCP_THROUGHPUT).orElseThrow();
        assertThat(tcp.ok()).isFalse();
        assertThat(tcp.stats()).isNull();
        assertThat(tcp.samples()).isEmpty();
        assertThat(tcp.error()).contains("unable to connect to server: Connection refused", "10.244.1.10", "run 1 of 3");
        assertThat(result.figure(Metric.UDP_LOSS).orElseThrow().ok()).isFalse();
        assertThat(result.figure(Metric.ICMP_RTT).orElseThrow().ok()).isTrue();
    }

    @Test
    void iperf3MissingFromTheImageNamesTheImageAndIsNotRetried() {
        FakeExecutor executor = new FakeExecutor()
                .on("ping", FakeExecutor.ok(Fixture.load("01-ping-c3-pod-to-pod.txt").output()))
                .on("curl", FakeExecutor.ok(CURL))
                .on("iperf3", FakeExecutor.exit(127, "", "sh: iperf3: not found\n"));
        PathResult result = new Benchmark(executor, SETTINGS)
                .measure(new Benchmark.Leg(CROSS, CLIENT, "registry.local/tools/busybox:1.36", "10.244.1.10"));

        for (Metric m : List.of(Metric.TCP_THROUGHPUT, Metric.TCP_THROUGHPUT_MULTI, Metric.UDP_THROUGHPUT, Metric.UDP_JITTER)) {
            assertThat(result.figure(m).orElseThrow().error())
                    .contains("iperf3 is not available in image registry.local/tools/busybox:1.36", "exit 127", "nc-bench/client");
        }
        assertThat(executor.calls.stream().filter(c -> c.contains("iperf3"))).hasSize(1);
    }

    @Test
    void aBrokenExecIsAFailureWithTheReason() {
        FakeExecutor broken = new FakeExecutor()
                .on("ping", ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, "websocket closed: pod gone", "", "", Duration.ofSeconds(1)))
                .on("curl", FakeExecutor.ok("000 0.000000 0.000300\n200 0.000300 0.000900\n200 0.000300 0.000900\n"))
                .on("-u", FakeExecutor.ok(UDP_JSON))
                .on("iperf3", FakeExecutor.ok(TCP_JSON));
        PathResult result = new Benchmark(broken, SETTINGS)
                .measure(new Benchmark.Leg(CROSS, CLIENT, "nicolaka/netshoot", "10.244.1.10"));
        assertThat(result.figure(Metric.ICMP_RTT).orElseThrow().error())
                .contains("ping could not run in nc-bench/client", "websocket closed: pod gone");
        assertThat(result.figure(Metric.TCP_CONNECT).orElseThrow().error()).contains("1 of 3 HTTP requests to http://10.244.1.10:80/ failed");
    }

    @Test
    void noReplyIsAFailureAndIpv6UrlsAreBracketed() {
        FakeExecutor executor = new FakeExecutor()
                .on("ping", FakeExecutor.exit(1, "PING fd00::10 56 data bytes\n\n--- fd00::10 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss\n", ""))
                .on("curl", FakeExecutor.ok(CURL))
                .on("-u", FakeExecutor.ok(UDP_JSON))
                .on("iperf3", FakeExecutor.ok(TCP_JSON));
        BenchPath v6 = new BenchPath("client", "server", SAME_NODE, BenchPath.IpFamily.IPV6, POD);
        PathResult result = new Benchmark(executor, SETTINGS).measure(new Benchmark.Leg(v6, CLIENT, "nicolaka/netshoot", "fd00::10"));
        assertThat(result.figure(Metric.ICMP_RTT).orElseThrow().error()).contains("no echo reply from fd00::10", "100% packet loss");
        assertThat(executor.calls).anyMatch(c -> c.contains("http://[fd00::10]:80/"));
    }

    @Test
    void aSingleNodeClusterSaysWhyCrossNodeRowsAreMissing() {
        BenchPath same = new BenchPath("client", "server", SAME_NODE, IPV4, POD);
        BenchResult result = new Benchmark(healthy(), SETTINGS).run(
                new BenchResult.ClusterFacts("k3s-single", "v1.33.1+k3s1", "k3s", 1), Map.of("name", "flannel"),
                List.of(new Benchmark.Leg(same, CLIENT, "nicolaka/netshoot", "10.42.0.12")));
        assertThat(result.schema()).isEqualTo("netconform.bench/v1");
        assertThat(result.paths()).extracting(p -> p.path().placement()).containsExactly(SAME_NODE);
        assertThat(result.missing()).anySatisfy(m -> {
            assertThat(m.what()).isEqualTo("cross-node rows");
            assertThat(m.reason()).contains("has 1 node", "two different nodes");
        });
        assertThat(result.missing()).anySatisfy(m -> assertThat(m.reason()).contains("no host-network leg"));
    }

    @Test
    void podNetworkWithinToleranceOfHostNetworkPassesAndBelowItFails() {
        String slower = TCP_JSON.replace("\"bits_per_second\":\t11063168522.92762", "\"bits_per_second\":\t9000000000");
        assertThat(slower).isNotEqualTo(TCP_JSON);
        BenchPath podPath = new BenchPath("client", "server", CROSS_NODE, IPV4, POD);
        BenchPath hostPath = new BenchPath("host-client", "host-server", CROSS_NODE, IPV4, HOST);
        PodRef hostClient = new PodRef("nc-bench", "host-client", "netshoot");
        List<Benchmark.Leg> legs = List.of(new Benchmark.Leg(podPath, CLIENT, "nicolaka/netshoot", "10.42.1.5"),
                new Benchmark.Leg(hostPath, hostClient, "nicolaka/netshoot", "192.168.1.12"));
        BenchResult.ClusterFacts facts = new BenchResult.ClusterFacts("rke2-lab", "v1.33.1+rke2r1", "rke2", 3);

        BenchResult equal = new Benchmark(healthy(), SETTINGS).run(facts, Map.of("name", "canal"), legs);
        assertThat(equal.hostNetworkRatios()).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo("PASS");
            assertThat(r.ratio()).isCloseTo(1.0, within(1e-12));
        });
        assertThat(equal.missing()).isEmpty();

        FakeExecutor slowPodNet = new FakeExecutor()
                .on("client", "iperf3 -c 10.42.1.5 -J", FakeExecutor.ok(slower))
                .on("ping", FakeExecutor.ok(Fixture.load("01-ping-c3-pod-to-pod.txt").output()))
                .on("curl", FakeExecutor.ok(CURL))
                .on("-u", FakeExecutor.ok(UDP_JSON))
                .on("iperf3", FakeExecutor.ok(TCP_JSON));
        BenchResult slow = new Benchmark(slowPodNet, SETTINGS.withThresholds(0.10, 0.10)).run(facts, Map.of("name", "canal"), legs);
        assertThat(slow.hostNetworkRatios()).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo("FAIL");
            assertThat(r.ratio()).isCloseTo(9000.0 / 11063.16852292762, within(1e-9));
            assertThat(r.reason()).contains("81.4 %", "90.0 %");
        });
    }
}
