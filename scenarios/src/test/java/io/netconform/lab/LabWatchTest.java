package io.netconform.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code netconform watch} against outages of known length injected into the lab while it measures
 * (scripts/watch-lab-inject.sh, as the watch's wrapped command): n1 loses its route to n2's pod CIDR for 5 s, the
 * DNS server drops UDP 53 for 3 s, n1's kube-proxy restarts. Every new-connection outage must be measured to one
 * interval + 0.2 s, and nothing else may be reported down. {@code -Dnetconform.watch.quiet=300} adds a quiet
 * stretch first (make watch-lab); CI runs the short form.
 */
@Tag("lab")
class LabWatchTest {

    static final double INTERVAL_S = 0.2;
    static final double TOLERANCE_S = INTERVAL_S + 0.2;
    static final ObjectMapper JSON = new ObjectMapper();
    static Path kubeconfig;
    static Path inject;
    static Path work;

    @BeforeAll
    static void lab() throws Exception {
        String k = System.getProperty("netconform.lab.kubeconfig");
        assumeTrue(k != null && Files.isReadable(Path.of(k)),
                "no lab cluster: run `make e2e-lab` (it brings ../shared/lab up and sets -Dnetconform.lab.kubeconfig)");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "injecting outages into the lab's network namespaces needs root");
        kubeconfig = Path.of(k);
        inject = Path.of(System.getProperty("netconform.watch.inject", "../scripts/watch-lab-inject.sh")).toAbsolutePath();
        assumeTrue(Files.isReadable(inject), "no injection script at " + inject);
        work = Files.createDirectories(Path.of("target", "e2e-lab", "watch")).toAbsolutePath();
    }

    record Window(String kind, Instant start, Instant end) {
        double seconds() {
            return Duration.between(start, end).toMillis() / 1000.0;
        }

        boolean overlaps(JsonNode outage, double slackS) {
            Instant s = Instant.parse(outage.path("start").asText());
            Instant e = Instant.parse(outage.path("end").asText());
            long slack = (long) (slackS * 1000);
            return s.isBefore(end.plusMillis(slack)) && e.isAfter(start.minusMillis(slack));
        }
    }

    @Test
    void injectedOutagesAreMeasuredToOneIntervalAndNothingElseIsDown() throws Exception {
        int quiet = Integer.getInteger("netconform.watch.quiet", 0);
        Path injections = work.resolve("injections.txt");
        Files.deleteIfExists(injections);
        List<String> args = new ArrayList<>(List.of("watch", "--kubeconfig", kubeconfig.toString(),
                "--reports", work.resolve("reports").toString(), "--interval", "200ms", "--max-outage", "30s",
                "--settle", "15s"));
        args.addAll(List.of(LabEndToEndTest.LAB_IMAGES));
        args.addAll(List.of("--", "env", "QUIET_S=" + quiet, "bash", inject.toString(), injections.toString()));
        if (quiet > 0) {
            args.add("quiet");
        }
        args.addAll(List.of("route", "dns", "kube-proxy"));
        NetconformProcess watch = NetconformProcess.start(work, args.toArray(String[]::new));
        int exit = watch.await(Duration.ofMinutes(5).plusSeconds(quiet));
        String console = watch.output();
        assertThat(exit).as("exit code; console:%n%s%nprober output as kept:%n%s", console, proberOutput()).isZero();
        assertThat(console).contains("command: env QUIET_S=").contains("→ exit 0");

        Map<String, Window> windows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(injections)) {
            String[] f = line.split(" ");
            windows.put(f[1], new Window(f[1], instant(f[2]), instant(f[3])));
        }
        assertThat(windows).as("injections done; console:%n%s", console).containsKeys("route", "dns", "kube-proxy");
        JsonNode disruption = JSON.readTree(work.resolve("reports").resolve("summary.json").toFile()).path("disruption");
        assertThat(disruption.size()).as("paths × checks watched").isGreaterThanOrEqualTo(10);

        StringBuilder measured = new StringBuilder();
        List<String> wrong = new ArrayList<>();
        for (JsonNode path : disruption) {
            String name = path.path("path").asText() + " · " + path.path("check").asText();
            assertThat(path.path("neverUp").isNull()).as("%s worked; console:%n%s", name, console).isTrue();
            boolean crossFromN1 = name.matches("(pod|node) n1 → pod n2 \\(cross node\\).*") || name.contains("Service web");
            boolean reused = path.path("connection").asText().equals("REUSED");
            Window expected = crossFromN1 ? windows.get("route") : name.contains("cluster DNS") ? windows.get("dns") : null;
            for (JsonNode outage : path.path("intervals")) {
                double s = outage.path("seconds").asDouble();
                measured.append(String.format("%s: %.2f s %s%n", name, s, outage.path("failure").asText()));
                if (expected == null || !expected.overlaps(outage, 1.5)) {
                    wrong.add(name + ": an outage where none was injected: " + outage);
                } else if (!reused && Math.abs(s - expected.seconds()) > TOLERANCE_S) {
                    wrong.add(String.format("%s: measured %.2f s, injected %.2f s (tolerance ±%.1f s)", name, s,
                            expected.seconds(), TOLERANCE_S));
                } else if (reused && s < expected.seconds() - TOLERANCE_S) {
                    // a held-up connection recovers at its next retransmission, so it may be down longer, never shorter
                    wrong.add(String.format("%s: measured %.2f s, shorter than the injected %.2f s", name, s, expected.seconds()));
                }
            }
            if (expected != null && path.path("intervals").isEmpty()) {
                wrong.add(name + ": no outage measured for the injected " + expected.kind() + " outage");
            }
        }
        Files.writeString(work.resolve("measured.txt"), "injected: " + windows.values() + "\n" + measured);
        assertThat(wrong).as("injected %s%nmeasured:%n%s%nconsole:%n%s", windows.values(), measured, console).isEmpty();
    }

    /**
     * What each prober pod wrote, as the watch kept it: how many lines of each kind, how many samples failed, the
     * first lines. A watch that reports every path "NEVER UP" may have heard nothing, or heard every sample fail:
     * this tells which, from CI's console alone.
     */
    static String proberOutput() throws java.io.IOException {
        Path dir = work.resolve("reports").resolve("watch").resolve("prober-output");
        if (!Files.isDirectory(dir)) {
            return "(no " + dir + ")";
        }
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                Map<String, Long> kinds = new java.util.TreeMap<>();
                long failed = 0;
                for (String l : lines) {
                    String[] w = l.split(" ", 7);
                    kinds.merge(w[0].equals("ncw") && w.length > 1 ? w[1] : "other", 1L, Long::sum);
                    failed += w.length > 5 && w[1].equals("s") && !w[5].equals("0") ? 1 : 0;
                }
                b.append(String.format("%s: %d lines %s, %d samples with a non-zero exit%n", f.getFileName(), lines.size(),
                        kinds, failed));
                lines.stream().limit(6).forEach(l -> b.append("  ").append(l).append('\n'));
            }
        }
        return b.toString();
    }

    private static Instant instant(String epochSeconds) {
        String[] p = epochSeconds.split("\\.");
        return Instant.ofEpochSecond(Long.parseLong(p[0]), p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0);
    }
}
