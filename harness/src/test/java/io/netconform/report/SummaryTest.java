package io.netconform.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {

    @Test
    void recorderRoundTripsThroughSummaryJson(@TempDir Path dir) throws Exception {
        SummaryRecorder recorder = new SummaryRecorder("nc-1", "0.1.0",
                Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC))
                .cluster(new Summary.Cluster("https://user:pw@10.0.0.1:6443/path?x=1", "v1.31.4", "rke2", 3,
                        List.of("IPv4", "IPv6")))
                .cni(Map.of("name", "calico", "backend", "bgp"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 200; i++) {
            int n = i;
            pool.submit(() -> recorder.check("c" + n, "suite", "check " + n, null, Duration.ofMillis(n), Map.of()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        recorder.check("c1", "suite", "check 1", CheckFailure.of(FailureKind.MTU, "pmtu 1400, expected 1450"),
                Duration.ofSeconds(2), Map.of("ipFamily", "IPv4"));
        recorder.check("c2", "suite", "check 2", new IllegalStateException("ErrImagePull"), Duration.ZERO, Map.of());
        // the busy-API-server symptoms from the lab: never a DNS failure
        recorder.check("dns-1", "dns", "FQDN over UDP", new BrokenCheck("FQDN over UDP: could not observe DNS (exec "
                + "TRANSPORT_ERROR: An error has occurred)"), Duration.ZERO, Map.of());
        recorder.check("dns-2", "dns", "kubernetes.default", new IllegalStateException(
                "Operation: [get] for kind: [Pod] with name: [client] in namespace: [nc-1-fleet] failed."), Duration.ZERO, Map.of());
        recorder.mtu(new Summary.Mtu("a", "b", false, "IPv4", 1450, 1450, 1400, 1372, false, "timeout"));
        recorder.bench(Map.of("iperf3", Map.of("mbps", 9400)));

        Path file = dir.resolve("summary.json");
        Summary written = recorder.write(file);
        Summary read = Summary.read(file);

        assertThat(read).isEqualTo(written);
        assertThat(read.checks()).hasSize(202);
        assertThat(read.cluster().server()).isEqualTo("https://10.0.0.1:6443");
        assertThat(byId(read, "c1")).satisfies(c -> {
            assertThat(c.status()).isEqualTo(Summary.Status.FAILED);
            assertThat(c.kind()).isEqualTo(FailureKind.MTU);
        });
        assertThat(byId(read, "c2")).satisfies(c -> {
            assertThat(c.status()).isEqualTo(Summary.Status.BROKEN);
            assertThat(c.kind()).isEqualTo(FailureKind.INFRA);
        });
        for (String id : List.of("dns-1", "dns-2")) {
            assertThat(byId(read, id)).satisfies(c -> {
                assertThat(c.status()).isEqualTo(Summary.Status.BROKEN);
                assertThat(c.kind()).isEqualTo(FailureKind.INFRA);
            });
        }
        assertThat(read.bench().at("/iperf3/mbps").asInt()).isEqualTo(9400);
        assertThat(Files.readString(file)).contains("\"schema\" : \"netconform.summary/v1\"",
                "\"startedAt\" : \"2026-11-25T10:00:00Z\"");
    }

    @Test
    void unusableFilesAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> Summary.read(missing)).hasMessageContaining(missing + ": no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "<html>");
        assertThatThrownBy(() -> Summary.read(garbage)).hasMessageContaining("garbage.json: not JSON");
        Path noSchema = Files.writeString(dir.resolve("old.json"), "{\"runId\":\"x\"}");
        assertThatThrownBy(() -> Summary.read(noSchema)).hasMessageContaining("no \"schema\" field");
    }

    @Test
    void consoleTableShowsEveryCheckTotalsAndKinds() {
        String table = ConsoleSummary.render(SummaryFixtures.read("after-flip.json"));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(2 + 6 + 2);
        assertThat(lines.get(0)).startsWith("SUITE").contains("CHECK", "STATUS", "TIME", "REASON");
        assertThat(table).contains("backend/api -> backend/db expected ALLOWED, got BLOCKED")
                .doesNotContain("[unexpected-drop]", "reproduce:");
        assertThat(lines.get(lines.size() - 2))
                .isEqualTo("6 checks: 3 passed, 2 failed, 0 broken, 1 skipped in 4m02s");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("failures by kind: Policy not enforced 1, Unexpected drop 1");
        // fixed width: every check line is as wide as the header up to the reason column
        assertThat(lines.subList(2, 8)).allSatisfy(l -> assertThat(l.length()).isGreaterThanOrEqualTo(24 + 44 + 7 + 8 + 4));
    }

    /** The pool records checks in any order: find them by id, never by position. */
    private static Summary.Check byId(Summary summary, String id) {
        return summary.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
