package io.netconform.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.netconform.bench.BenchResultTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchComparisonTest {

    static BenchComparison threeClusters() {
        return BenchComparison.load(List.of(fixture("rke2-canal.json"), fixture("rke2-cilium.json"), fixture("k3s-single.json")));
    }

    static BenchComparison.Row row(BenchComparison c, String path, Metric metric) {
        return c.rows().stream().filter(r -> r.path().equals(path) && r.metric() == metric).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + path + " / " + metric + " in " + c.rows()));
    }

    @Test
    void oneColumnPerClusterAndTheBestPerRowByTheMetricsDirection() {
        BenchComparison c = threeClusters();
        assertThat(c.labels()).containsExactly("rke2-canal (canal v3.29.1)", "rke2-cilium (cilium 1.17.2)", "k3s-single (flannel)");

        // throughput: higher is better; cilium 9255 ±135 against canal 8022 ±162 — intervals apart
        BenchComparison.Row tcp = row(c, "cross-node ipv4 pod-net", Metric.TCP_THROUGHPUT);
        assertThat(tcp.cells()).extracting(BenchComparison.Cell::best).containsExactly(false, true, false);
        assertThat(tcp.cells().get(0).beyondCi()).isTrue();
        assertThat(tcp.cells().get(2).error()).startsWith("not measured");

        // latency: lower is better
        BenchComparison.Row rtt = row(c, "cross-node ipv4 pod-net", Metric.ICMP_RTT);
        assertThat(rtt.cells().get(1).stats().mean()).isLessThan(rtt.cells().get(0).stats().mean());
        assertThat(rtt.cells()).extracting(BenchComparison.Cell::best).containsExactly(false, true, false);

        // multi-stream: 8872 ±259 vs 9143 ±435 overlap, so the difference is not marked
        BenchComparison.Row multi = row(c, "cross-node ipv4 pod-net", Metric.TCP_THROUGHPUT_MULTI);
        assertThat(multi.cells().get(1).best()).isTrue();
        assertThat(multi.cells().get(0).beyondCi()).isFalse();

        // a failed figure is never the best and never a number
        BenchComparison.Row udp = row(c, "cross-node ipv4 pod-net", Metric.UDP_THROUGHPUT);
        assertThat(udp.cells().get(1).stats()).isNull();
        assertThat(udp.cells().get(1).error()).contains("Connection refused");
        assertThat(udp.cells()).noneMatch(BenchComparison.Cell::best);

        assertThat(row(c, "cross-node ipv4 pod-net", Metric.TCP_RETRANSMITS).cells().get(1).wide()).isTrue();
        assertThat(row(c, "cluster-wide", Metric.POLICY_ENFORCEMENT).cells().get(1).best()).isTrue();
    }

    @Test
    void markdownMarksBestDifferencesWideAndFailures() {
        String md = threeClusters().markdown();
        assertThat(md).contains("| path | metric | unit | rke2-canal (canal v3.29.1) | rke2-cilium (cilium 1.17.2) | k3s-single (flannel) |");
        assertThat(md).contains("| cross-node ipv4 pod-net | TCP throughput, 1 stream | Mbit/s | 8022 ±162 † | **9255 ±135** | — not measured");
        assertThat(md).containsPattern("\\| cross-node ipv4 pod-net \\| TCP retransmits per run \\| segments \\| [^|]+ \\| \\*\\*548 ±262 ⚠ wide\\*\\* \\|");
        assertThat(md).contains("✗ iperf3 to 10.42.2.9 failed on run 1 of 6: unable to connect to server: Connection refused");
        assertThat(md).contains("cross-node rows: the cluster has 1 node");
        assertThat(md).contains("| cross-node ipv4 | FAIL 86.0 %", "| PASS 98.1 %");
        assertThat(md).doesNotContain("Behaviour");
    }

    @Test
    void summariesAddABehaviourSection() {
        BenchComparison c = threeClusters().withSummaries(List.of(
                BenchComparison.readSummary(fixture("summary-canal.json")),
                BenchComparison.readSummary(fixture("summary-cilium.json"))));
        String md = c.markdown();
        assertThat(md).contains("## Behaviour (conformance summaries)");
        assertThat(md).contains("| **SCTP support** | no (1 of 1 SCTP check(s) failed) | yes (1 SCTP check(s) passed) |");
        assertThat(md).contains("client-a→server-b: 1450 (expected 1450) ✓", "client-a→server-b: 1500 (expected 1450) ✗");
        assertThat(md).contains("| policy.egress-dns-blocked | PASSED | FAILED |");
        assertThat(md).contains("| cilium.hubble-flows | — | SKIPPED |");
        assertThat(md).contains("max 3400 ms over 2 policy checks");
    }

    @Test
    void mixedSchemaVersionsNameBothFiles(@TempDir Path dir) throws IOException {
        Path v2 = Files.writeString(dir.resolve("cilium-v2.json"),
                Files.readString(fixture("rke2-cilium.json")).replace("netconform.bench/v1", "netconform.bench/v2"));
        assertThatThrownBy(() -> BenchComparison.load(List.of(fixture("rke2-canal.json"), v2)))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("mixed schema versions")
                .hasMessageContaining("rke2-canal.json has \"netconform.bench/v1\"")
                .hasMessageContaining("cilium-v2.json has \"netconform.bench/v2\"");
        assertThatThrownBy(() -> BenchComparison.load(List.of(v2)))
                .hasMessageContaining("this netconform reads \"netconform.bench/v1\"");
        assertThatThrownBy(() -> BenchComparison.load(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> BenchComparison.readSummary(fixture("rke2-canal.json")))
                .hasMessageContaining("is not a conformance summary");
    }

    @Test
    void writesMarkdownHtmlAndRealCharts(@TempDir Path dir) throws IOException {
        List<Path> files = threeClusters().write(dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("comparison.md", "comparison.html", "throughput.png", "latency.png");
        String html = Files.readString(dir.resolve("comparison.html"));
        assertThat(html).contains("<img src=\"throughput.png\"", "<img src=\"latency.png\"", "<td class=\"best\"><b>9255 ±135</b></td>");
        for (String png : List.of("throughput.png", "latency.png")) {
            Path file = dir.resolve(png);
            assertThat(Files.size(file)).as(png + " size").isGreaterThan(10_000);
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(png + " decodes").isNotNull();
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(600);
            assertThat(distinctColours(image)).as(png + " distinct colours").isGreaterThan(20);
        }
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 2) {
            for (int y = 0; y < image.getHeight(); y += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
