package io.netconform.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchResultTest {

    static Path fixture(String name) {
        try {
            return Path.of(BenchResultTest.class.getResource("/bench/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("test resource bench/" + name + " missing", e);
        }
    }

    @Test
    void writesUnderClusterAndTimestampAndReadsBackEqual(@TempDir Path dir) throws IOException {
        BenchResult original = BenchResult.read(fixture("rke2-canal.json"));
        Path file = original.write(dir.resolve("reports/bench"));
        assertThat(file.getFileName().toString()).isEqualTo("rke2-canal-20261123T161402Z.json");
        assertThat(Files.readString(file)).contains("\"schema\" : \"netconform.bench/v1\"", "\"wide\" : false");
        assertThat(BenchResult.read(file)).isEqualTo(original);
    }

    @Test
    void aSingleSampleFigureSurvivesTheRoundTripWithItsUnknownInterval(@TempDir Path dir) throws IOException {
        BenchResult canal = BenchResult.read(fixture("rke2-canal.json"));
        BenchResult withOne = new BenchResult(canal.schema(), canal.cluster(), canal.cni(), canal.timestamp(), canal.settings(),
                canal.paths(), canal.hostNetworkRatios(), Stats.of(new double[]{1234}), null, canal.missing(), null, null);
        BenchResult back = BenchResult.read(withOne.write(dir));
        assertThat(back.policyEnforcementLatencyMs().ci95Low()).isNaN();
        assertThat(back.policyEnforcementLatencyMs().wide()).isTrue();
    }

    @Test
    void theFixturesSayWhatTheyShow() {
        BenchResult single = BenchResult.read(fixture("k3s-single.json"));
        assertThat(single.label()).isEqualTo("k3s-single (flannel)");
        assertThat(single.missing()).extracting(BenchResult.Missing::what).contains("cross-node rows");
        BenchResult cilium = BenchResult.read(fixture("rke2-cilium.json"));
        assertThat(cilium.label()).isEqualTo("rke2-cilium (cilium 1.17.2)");
        assertThat(cilium.figure("cross-node ipv4 pod-net", Metric.UDP_THROUGHPUT).orElseThrow().ok()).isFalse();
    }

    @Test
    void badFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> BenchResult.read(dir.resolve("nope.json")))
                .isInstanceOf(BenchInputException.class).hasMessageContaining("nope.json does not exist");
        Path summary = fixture("summary-canal.json");
        assertThatThrownBy(() -> BenchResult.read(summary))
                .hasMessageContaining("is not a bench result").hasMessageContaining("\"netconform.summary/v1\"");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "iperf3: error - oops");
        assertThatThrownBy(() -> BenchResult.read(garbage)).hasMessageContaining("not valid JSON");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"schema\": \"netconform.bench/v1\", \"cluster\": 7}");
        assertThatThrownBy(() -> BenchResult.read(broken)).hasMessageContaining("claims schema netconform.bench/v1 but does not match it");
    }

    @Test
    void consoleTableShowsFiguresFailuresAndWhatIsMissing() {
        String table = BenchTable.render(BenchResult.read(fixture("rke2-cilium.json")));
        assertThat(table).contains("Benchmark rke2-cilium (cilium 1.17.2), rke2 v1.33.4+rke2r1, 3 node(s)");
        assertThat(table).containsPattern("cross-node ipv4 pod-net +UDP throughput at target rate +FAILED .*Connection refused");
        assertThat(table).containsPattern("cross-node ipv4 pod-net +TCP retransmits per run .*WIDE");
        assertThat(table).contains("pod vs host network, CROSS_NODE IPV4: PASS");
        assertThat(BenchTable.render(BenchResult.read(fixture("k3s-single.json"))))
                .contains("not measured: cross-node rows — the cluster has 1 node");
    }
}
