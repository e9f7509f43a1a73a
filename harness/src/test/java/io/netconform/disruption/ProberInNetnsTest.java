package io.netconform.disruption;

import io.netconform.cluster.Images;
import io.netconform.cluster.TestPods;
import io.netconform.policy.Port;
import io.netconform.probe.lab.ProbeLab;
import io.netconform.probe.lab.RequiresProbeLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.netconform.probe.lab.ProbeLab.HTTP_PORT;
import static io.netconform.probe.lab.ProbeLab.PB_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The pod command of a watch prober (perl here) in pa of the probe lab's network namespaces, probing pb across the
 * lab's VXLAN, to the server pods' echo server (TestPods.netshootServer's command) in pb: a quiet period, then
 * outages of known length — node 1 silently dropping everything pa sends to pb (a blackhole route on the path),
 * then pa without a route to pb (an unreachable route) — which the prober must measure to within one interval +
 * 0.2 s, with the failure each one is. Every packet stays inside namespaces the lab made.
 *
 * <p>How the injections are timed: by an {@code ip -batch} already running in the namespace, each change followed by
 * a marker command whose answer proves it done, so the moment is known to a few ms. A fresh {@code ip} or
 * {@code iptables} per change was not: at a load of 30-50 starting the process took up to 5 s, and iptables -w
 * also waits for the machine-wide xtables lock that a Kubernetes lab on the same machine holds often. A blackhole
 * on node 1 rather than a DROP in pb: dropping pb's answers leaves half-open connections that fill the listener's
 * SYN backlog and stretch the outage past the injection.
 */
@Tag("netlab")
@RequiresProbeLab
class ProberInNetnsTest {

    /** The echo server's port in pb; the lab's own servers use others. */
    static final int PORT = 9100;
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration OUTAGE = Duration.ofSeconds(3);
    static final Duration EDGE = Duration.ofMillis(200);
    static final double TOLERANCE_S = (INTERVAL.toMillis() + EDGE.toMillis()) / 1000.0;

    /**
     * When an injection took effect: somewhere between the start and the end of the command that made it. Removing
     * a route takes 1-3 ms; adding the blackhole on node 1 returned only after 1-2 s at a load of 8-40 (though it
     * worked at once), so the outage's start, and its length, are only as sharp as that.
     */
    record Moment(Instant before, Instant after) {
        Instant mid() {
            return before.plus(Duration.between(before, after).dividedBy(2));
        }

        double uncertaintyS() {
            return Duration.between(before, after).toMillis() / 2000.0;
        }
    }

    @Test
    void measuresInjectedOutagesToWithinAnIntervalAndReportsNoneWhileQuiet() throws Exception {
        Path out = Files.createTempFile("ncw-netns-prober", ".log");
        out.toFile().deleteOnExit();
        List<Target> targets = List.of(
                new Target("icmp", "pa → pb", Check.ICMP, PB_IP, 0, "pa"),
                new Target("tcp", "pa → pb", Check.TCP, PB_IP, PORT, "pa"),
                new Target("udp", "pa → pb", Check.UDP, PB_IP, PORT, "pa"),
                new Target("http", "pa → pb", Check.HTTP, PB_IP, HTTP_PORT, "pa"),
                new Target("tcp-reused", "pa → pb", Check.TCP_REUSED, PB_IP, PORT, "pa"),
                new Target("udp-reused", "pa → pb", Check.UDP_REUSED, PB_IP, PORT, "pa"),
                // through pa's resolv.conf (search list, ndots:5) to the lab's dnsmasq, which no injection touches
                new Target("dns", "pa → cluster DNS", Check.DNS, "web", 0, "pa"));
        Moment dropOn;
        Moment dropOff;
        Moment routeOn;
        Moment routeOff;
        int exit;
        try (ProbeLab lab = ProbeLab.start();
             IpBatch node1 = new IpBatch(lab.namespaces().get("n1"));
             IpBatch podA = new IpBatch(lab.namespaces().get(ProbeLab.PA))) {
            String pa = lab.namespaces().get(ProbeLab.PA);
            String pb = lab.namespaces().get(ProbeLab.PB);
            Path serverLog = Files.createTempFile("ncw-netns-server", ".log");
            serverLog.toFile().deleteOnExit();
            List<String> server = new ArrayList<>(List.of("ip", "netns", "exec", pb, "setsid"));
            server.addAll(TestPods.netshootServer(Images.defaults(), "server", List.of(Port.tcp(PORT), Port.udp(PORT)))
                    .build().getSpec().getContainers().get(0).getCommand());
            Process echo = new ProcessBuilder(server).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", pa, "setsid"));
            command.addAll(Watch.proberCommand(INTERVAL, 1, targets));
            Process prober = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                await("every target answered, the TCP connect with success").atMost(Duration.ofSeconds(30)).until(() -> {
                    String text = Files.readString(out);
                    return text.matches("(?s).*ncw s tcp \\d+ \\d+ 0 .*")
                            && targets.stream().allMatch(t -> text.contains("ncw s " + t.id() + " "));
                });
                Thread.sleep(OUTAGE.toMillis());
                dropOn = node1.run("route replace blackhole " + PB_IP + "/32");
                Thread.sleep(OUTAGE.toMillis());
                dropOff = node1.run("route del blackhole " + PB_IP + "/32");
                Thread.sleep(OUTAGE.toMillis());
                routeOn = podA.run("route replace unreachable " + PB_IP + "/32");
                Thread.sleep(OUTAGE.toMillis());
                routeOff = podA.run("route del unreachable " + PB_IP + "/32");
                Thread.sleep(OUTAGE.toMillis());
            } finally {
                // SIGTERM, as the kubelet stops a pod: the prober must end at once, with 0
                prober.destroy();
                exit = prober.waitFor(3, TimeUnit.SECONDS) ? prober.exitValue() : -1;
                prober.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                echo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(out);
        ProberFeed feed = new ProberFeed(targets, o -> { }, o -> { });
        Files.readAllLines(out, StandardCharsets.UTF_8).forEach(feed::accept);
        Map<String, PathDisruption> byId = feed.finish().stream()
                .collect(Collectors.toMap(p -> p.target().id(), Function.identity()));

        assertThat(exit).as("exit code on SIGTERM (-1: still running 3 s later)").isZero();
        assertThat(feed.unparsed()).as("lines that are not the prober's:%n%s", output).isZero();
        for (PathDisruption p : byId.values()) {
            System.out.printf("prober-in-netns %s: %d samples, %d failed, %d not sampled; outages %s%n", p.target().id(),
                    p.samples(), p.failed(), p.notSampled(), p.outages().stream()
                            .map(o -> String.format("%s %.2f s from %s", o.failure(), o.seconds(), o.start()))
                            .toList());
            assertThat(p.neverUp()).as("%s%n%s", p.target().id(), output).isNull();
            assertThat(p.outages()).as("%s: no outage in the quiet period%n%s", p.target().id(), output)
                    .allSatisfy(o -> assertThat(o.start()).isAfter(dropOn.before()));
        }
        assertThat(byId.get("dns").outages()).as("DNS, which no injection touched%n%s", output).isEmpty();
        assertThat(byId.get("dns").samples()).isGreaterThan(50);
        System.out.printf("prober-in-netns injected: blackhole %.3f s (±%.3f) %s %s, no route %.3f s (±%.3f) %s %s%n",
                seconds(dropOn, dropOff), dropOn.uncertaintyS() + dropOff.uncertaintyS(), dropOn, dropOff,
                seconds(routeOn, routeOff), routeOn.uncertaintyS() + routeOff.uncertaintyS(), routeOn, routeOff);
        for (String id : List.of("icmp", "tcp", "udp", "http")) {
            List<Outage> outages = byId.get(id).outages();
            assertThat(outages).as("%s: the blackhole and the missing route%n%s", id, output).hasSize(2);
            expect(id, outages.get(0), Failure.TIMEOUT, dropOn, dropOff, output);
            expect(id, outages.get(1), Failure.UNREACHABLE, routeOn, routeOff, output);
        }
        for (String id : List.of("tcp-reused", "udp-reused")) {
            assertThat(byId.get(id).outages()).as("%s lost its echoes%n%s", id, output).isNotEmpty();
        }
    }

    private static void expect(String id, Outage o, Failure failure, Moment on, Moment off, String output) {
        double slack = TOLERANCE_S + on.uncertaintyS() + off.uncertaintyS();
        assertThat(o.failure()).as("%s: %s%n%s", id, o, output).isEqualTo(failure);
        assertThat(o.seconds()).as("%s: length of %s%n%s", id, o, output).isCloseTo(seconds(on, off), within(slack));
        // each edge on its own: a sample fails once the change is made, and the next one due (an interval on) sees it
        assertThat(o.start()).as("%s: start of %s, injected %s%n%s", id, o, on, output)
                .isBetween(on.before().minus(EDGE), on.after().plus(INTERVAL).plus(EDGE));
        assertThat(o.end()).as("%s: end of %s, removed %s%n%s", id, o, off, output)
                .isBetween(off.before().minus(EDGE), off.after().plus(INTERVAL).plus(EDGE));
    }

    private static double seconds(Moment on, Moment off) {
        return Duration.between(on.mid(), off.mid()).toMillis() / 1000.0;
    }

    /** {@code ip -n NETNS -batch -}, started ahead: a change costs no process start, so its moment is sharp. */
    private static final class IpBatch implements AutoCloseable {
        private final Process ip;
        private final BufferedReader out;
        private final Writer in;

        IpBatch(String netns) throws IOException {
            ip = new ProcessBuilder("ip", "-n", netns, "-batch", "-").redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(ip.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(ip.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Runs {@code command}; it took effect between the moment's two instants. */
        Moment run(String command) throws IOException {
            Instant before = Instant.now();
            // ip -batch answers each command in turn and stops at the first that fails: the marker's answer means done
            in.write(command + "\nlink show lo\n");
            in.flush();
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); ; line = out.readLine()) {
                assertThat(line).as("ip -batch ended after '%s': %s", command, seen).isNotNull();
                if (line.contains("link/loopback")) {
                    break;
                }
                seen.append(line).append('\n');
            }
            Instant after = Instant.now();
            assertThat(seen.toString()).as("ip -batch: %s", command).doesNotContain("Error", "RTNETLINK");
            return new Moment(before, after);
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!ip.waitFor(5, TimeUnit.SECONDS)) {
                ip.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
