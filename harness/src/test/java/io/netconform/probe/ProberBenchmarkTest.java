package io.netconform.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netconform.exec.PodRef;
import io.netconform.exec.ScriptedExecutor;
import io.netconform.policy.Port;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.netconform.exec.ScriptedExecutor.from;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream truth-table model (x, y, z × a, b, c; ports 80 and 81 on TCP, UDP and SCTP) probed
 * through the scripted network, where half of the pairs drop and each drop costs the full timeout T.
 */
@Tag("benchmark")
class ProberBenchmarkTest {

    static final Duration T = Duration.ofSeconds(1);
    static final List<Port> PORTS = List.of(Port.tcp(80), Port.tcp(81), Port.udp(80), Port.udp(81), Port.sctp(80),
            Port.sctp(81));

    @Test
    void aNinePodTruthTableCostsNineExecsAndAboutOneTimeout() throws IOException {
        List<PodRef> pods = new ArrayList<>();
        Map<PodRef, String> ips = new HashMap<>();
        for (String ns : List.of("x", "y", "z")) {
            for (String pod : List.of("a", "b", "c")) {
                PodRef ref = new PodRef(ns, pod, "main");
                ips.put(ref, "10.42.0." + (pods.size() + 10));
                pods.add(ref);
            }
        }
        ScriptedExecutor net = new ScriptedExecutor();
        List<ProbeRequest> requests = new ArrayList<>();
        Map<ProbeKey, Boolean> expected = new HashMap<>();
        int blocked = 0;
        for (int s = 0; s < pods.size(); s++) {
            for (int d = 0; d < pods.size(); d++) {
                if (s == d) {
                    continue; // a pod cannot block itself: left out of policy verdicts
                }
                boolean deny = (s + d) % 2 == 1;
                PodRef src = pods.get(s);
                String ip = ips.get(pods.get(d));
                for (Port port : PORTS) {
                    String key = src + " -> " + pods.get(d) + " " + port;
                    requests.add(new ProbeRequest(key, src, Probe.port(ip, port, T), pods.get(d) + " " + ip));
                    expected.put(new ProbeKey.Named(key), !deny);
                    if (deny) {
                        net.when(from(src.namespace() + "/" + src.pod()).to(ip, port)).drops();
                        blocked++;
                    }
                }
            }
        }
        BatchProber prober = new BatchProber(net, T);

        long start = System.nanoTime();
        Map<ProbeKey, ProbeResult> table = prober.run(requests);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        int execs = prober.execCount();

        long verifyStart = System.nanoTime();
        Verification v = prober.verify(requests, expected, Duration.ofSeconds(10));
        Duration verifyWall = Duration.ofNanos(System.nanoTime() - verifyStart);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", "3 namespaces x 3 pods, ports 80/81 x TCP/UDP/SCTP, self-pairs left out");
        figures.put("probes", requests.size());
        figures.put("blocked_probes", blocked);
        figures.put("probe_timeout_ms", T.toMillis());
        figures.put("execs_per_truth_table", execs);
        figures.put("execs_goal", pods.size());
        figures.put("execs_one_per_probe_would_be", requests.size());
        figures.put("truth_table_wall_ms", wall.toMillis());
        figures.put("truth_table_wall_goal_ms", T.multipliedBy(3).plusSeconds(2).toMillis());
        figures.put("verify_wall_ms", verifyWall.toMillis());
        figures.put("verify_rounds", v.rounds());
        figures.put("verify_execs", v.execs());
        figures.put("executor", "ScriptedExecutor (drops sleep T once per exec; pods exec'd in parallel)");
        Path out = projectRoot().resolve(Path.of("reports", "bench-harness", "prober.json"));
        Files.createDirectories(out.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), figures);
        System.out.println("prober benchmark -> " + out + "\n" + figures);

        assertThat(table.values()).noneMatch(r -> r.verdict() == Verdict.ERROR);
        assertThat(table.values().stream().filter(r -> r.verdict() == Verdict.TIMEOUT)).hasSize(blocked);
        assertThat(execs).isEqualTo(9);
        assertThat(wall).isLessThanOrEqualTo(T.multipliedBy(3).plusSeconds(2));
        assertThat(v.converged()).as(v.describeFailures()).isTrue();
        assertThat(v.execs()).isEqualTo(9);
    }

    /** Surefire forks without maven.multiModuleProjectDirectory; netconform.policies (= root/policies) carries it. */
    private static Path projectRoot() {
        String root = System.getProperty("maven.multiModuleProjectDirectory");
        if (root != null) {
            return Path.of(root);
        }
        String policies = System.getProperty("netconform.policies");
        return policies != null ? Path.of(policies).toAbsolutePath().getParent() : Path.of(".");
    }
}
