package io.netconform.report;

import static io.netconform.report.SummaryFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    private final Summary before = read("before.json");

    @Test
    void sameResultsAndLatencyWithinToleranceIsNoChange() {
        Comparison c = Comparison.compare(before, read("after-same.json"), Tolerances.defaults());
        assertThat(c.changed()).as(c.toMarkdown()).isFalse();
        assertThat(c.regressed()).isFalse();
        assertThat(c.toMarkdown()).contains("**no change**");
    }

    @Test
    void flippedPairsNewFailureAndSlowerPathAreRegressions() {
        Comparison c = Comparison.compare(before, read("after-flip.json"), Tolerances.defaults());
        assertThat(c.flips()).extracting(f -> f.from() + "->" + f.to() + " " + f.before() + f.after() + " " + f.regression())
                .containsExactlyInAnyOrder("backend/api->backend/db .X true", "frontend/web->backend/db X. true");
        assertThat(c.newFailures()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("policy.MultiTierTest#eachTierAcceptsOnlyTheTierInFrontOfIt");
            assertThat(s.before()).isEqualTo(Summary.Status.PASSED);
        });
        assertThat(c.latencyShifts()).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("pod-to-pod across nodes rtt p99");
            assertThat(l.worse()).isTrue();
        });
        assertThat(c.regressed()).isTrue();
        assertThat(c.toMarkdown()).contains("**REGRESSED**", "| policy/policy.MultiTierTest#eachTierAcceptsOnlyTheTierInFrontOfIt TCP/8080 IPv4 | backend/api | backend/db | . | X | . | REGRESSION |");
        assertThat(c.toHtml()).contains("<tr class=\"bad\"><td>policy/policy.MultiTierTest");
    }

    @Test
    void mtuChangeIsARegression() {
        Comparison c = Comparison.compare(before, read("after-mtu.json"), Tolerances.defaults());
        assertThat(c.mtuChanges()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo("nc-7f3a-mtu/a -> nc-7f3a-mtu/b IPv4");
            assertThat(m.newlyFailing()).isTrue();
        });
        assertThat(c.flips()).isEmpty();
        assertThat(c.regressed()).isTrue();
        assertThat(c.toMarkdown()).contains("pmtu 1450", "pmtu 1400");
    }

    @Test
    void dnsNewlyFailingIsARegression() {
        Comparison c = Comparison.compare(before, read("after-dns.json"), Tolerances.defaults());
        assertThat(c.dnsChanges()).singleElement().satisfies(d -> assertThat(d.newlyFailing()).isTrue());
        assertThat(c.regressed()).isTrue();
    }

    @Test
    void fixesAndFasterPathsChangeButDoNotRegress() {
        Comparison c = Comparison.compare(before, read("after-fixed.json"), Tolerances.defaults());
        assertThat(c.fixes()).extracting(Comparison.StatusChange::id).containsExactly("policy.DefaultDenyTest#egressDenyBlocksDns");
        assertThat(c.latencyShifts()).singleElement().satisfies(l -> assertThat(l.worse()).isFalse());
        assertThat(c.changed()).isTrue();
        assertThat(c.regressed()).isFalse();
    }

    @Test
    void nodeEvidenceFlaggedOnlyAfterTheUpgradeIsARegressionAndSaysWhere() {
        Summary.NodeChange race = new Summary.NodeChange("n2", "dns", "conntrack.insert_failed", "0", "37", 37, true,
                "conntrack insert races");
        Summary.NodeChange quiet = new Summary.NodeChange("n2", "dns", "conntrack.count", "10", "40", 30, false,
                "conntrack entries in use");
        Summary after = withNodeEvidence(before, List.of(race, quiet));

        Comparison c = Comparison.compare(before, after, Tolerances.defaults());

        assertThat(c.nodeEvidence()).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo("n2 conntrack.insert_failed during dns");
            assertThat(n.newlyFlagged()).isTrue();
        });
        assertThat(c.regressed()).isTrue();
        assertThat(c.toMarkdown()).contains("Node evidence flagged").contains("n2 conntrack.insert_failed during dns")
                .contains("+37 (flagged)").contains("NEW");
    }

    @Test
    void nodeEvidenceFlaggedInBothRunsIsShownButNoRegression() {
        Summary.NodeChange race = new Summary.NodeChange("n2", "dns", "conntrack.insert_failed", "0", "5", 5, true,
                "conntrack insert races");
        Summary baseline = withNodeEvidence(before, List.of(race));

        Comparison c = Comparison.compare(baseline, withNodeEvidence(before, List.of(race)), Tolerances.defaults());

        assertThat(c.nodeEvidence()).singleElement().satisfies(n -> assertThat(n.newlyFlagged()).isFalse());
        assertThat(c.regressed()).isFalse();
        assertThat(c.toMarkdown()).contains("also in the baseline");
    }

    private static Summary withNodeEvidence(Summary s, List<Summary.NodeChange> evidence) {
        return new Summary(s.schema(), s.runId(), s.startedAt(), s.finishedAt(), s.durationMs(), s.harnessVersion(),
                s.cluster(), s.cni(), s.checks(), s.reachability(), s.mtu(), s.dns(), s.latency(), s.bench(), evidence,
                s.disruption());
    }

    @Test
    void toleranceDecidesWhatIsAShift() {
        Summary same = read("after-same.json");
        // p50 0.42 -> 0.8 ms is +90 % but under 0.5 ms absolute; p99 2.5 -> 2.9 is +16 %, 0.4 ms
        assertThat(Comparison.compare(before, same, new Tolerances(0.10, 0.3)).latencyShifts())
                .extracting(Comparison.LatencyShift::key)
                .containsExactlyInAnyOrder("pod-to-pod across nodes rtt p50", "pod-to-pod across nodes rtt p99");
        assertThat(Tolerances.parseRelative("20%")).isEqualTo(0.2);
        assertThat(Tolerances.parseRelative("0.05")).isEqualTo(0.05);
        assertThatThrownBy(() -> Tolerances.parseRelative("lots")).hasMessageContaining("\"lots\"");
    }

    @Test
    void readRefusesOtherSchemaVersions() {
        assertThatThrownBy(() -> read("summary-v2.json"))
                .isInstanceOf(Summary.SummaryFormatException.class)
                .hasMessageContaining("netconform.summary/v2").hasMessageContaining("netconform.summary/v1");
    }

    @Test
    void writesMarkdownAndHtml(@TempDir Path out) {
        Comparison.compare(before, read("after-mtu.json"), Tolerances.defaults()).write(out);
        assertThat(out.resolve("compare.md")).content().contains("## MTU changes (1)");
        assertThat(out.resolve("compare.html")).content().contains("<h2>MTU changes (1)</h2>");
    }

    /**
     * Observed grids now mark a reject R and could-not-observe E, where older summaries wrote X and ?: a baseline from
     * before must not read as flipped, and a reject where a block was expected is no regression.
     */
    @Test
    void aRejectAgainstAnOlderDropIsNoFlip(@TempDir Path dir) throws Exception {
        String text = java.nio.file.Files.readString(SummaryFixtures.path("before.json"));
        int observed = text.indexOf("\"observed\": [");
        int cell = text.indexOf("\"X\"", observed);
        Path after = dir.resolve("after-reject.json");
        java.nio.file.Files.writeString(after, text.substring(0, cell) + "\"R\"" + text.substring(cell + 3));

        Summary rejected = Summary.read(after);
        assertThat(rejected.reachability().get(0).observed().get(0)).containsExactly("-", ".", "R");
        Comparison c = Comparison.compare(before, rejected, Tolerances.defaults());

        assertThat(c.flips()).isEmpty();
        assertThat(c.regressed()).isFalse();
        assertThat(Summary.Matrix.outcome("R")).isEqualTo("X");
        assertThat(Summary.Matrix.outcome("E")).isEqualTo("?");
        assertThat(Summary.Matrix.outcome(".")).isEqualTo(".");
    }
}
