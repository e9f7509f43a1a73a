package io.netconform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netconform.report.SummaryFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    @TempDir
    Path out;

    private final StringWriter stdout = new StringWriter();
    private final StringWriter stderr = new StringWriter();

    private int compare(String... args) {
        return InProcess.execute(new PrintWriter(stdout), new PrintWriter(stderr), "compare", args);
    }

    private int compareFixtures(String before, String after, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = SummaryFixtures.path(before).toString();
        args[1] = SummaryFixtures.path(after).toString();
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return compare(args);
    }

    @Test
    void noChangeExitsZeroAndWritesBothFiles() {
        assertThat(compareFixtures("before.json", "after-same.json")).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).startsWith("# netconform compare").contains("**no change**");
        assertThat(out.resolve("compare.md")).content().isEqualTo(stdout.toString());
        assertThat(out.resolve("compare.html")).content().contains("<p class=\"verdict\">no change</p>");
    }

    @Test
    void flippedPairExitsOne() {
        assertThat(compareFixtures("before.json", "after-flip.json")).isEqualTo(1);
        assertThat(stdout.toString()).contains("**REGRESSED**", "## Reachability flips (2)", "## New failures (1)");
    }

    @Test
    void mtuChangeExitsOne() {
        assertThat(compareFixtures("before.json", "after-mtu.json")).isEqualTo(1);
        assertThat(stdout.toString()).contains("## MTU changes (1)");
    }

    @Test
    void fixesOnlyExitZero() {
        assertThat(compareFixtures("before.json", "after-fixed.json")).isZero();
        assertThat(stdout.toString()).contains("**changed, no regression**", "## Fixed (1)");
    }

    @Test
    void latencyToleranceIsAnOption() {
        // p50 +0.38 ms and p99 +0.4 ms stay under the 0.5 ms absolute floor even at 10 %
        assertThat(compareFixtures("before.json", "after-same.json", "--latency-tolerance", "10%")).isZero();
        assertThat(compareFixtures("before.json", "after-flip.json", "--latency-tolerance", "80%")).isEqualTo(1);
        assertThat(compareFixtures("before.json", "after-same.json", "--latency-tolerance", "fast")).isEqualTo(2);
        assertThat(stderr.toString()).contains("not a tolerance: \"fast\"");
    }

    @Test
    void mismatchedSchemaVersionsExitTwoNamingBoth() {
        assertThat(compareFixtures("before.json", "summary-v2.json")).isEqualTo(2);
        assertThat(stderr.toString()).contains("\"netconform.summary/v1\"", "\"netconform.summary/v2\"");
        assertThat(stdout.toString()).isEmpty();
    }

    @Test
    void missingOrBrokenFilesExitTwo() throws Exception {
        Path missing = out.resolve("missing.json");
        assertThat(compare(missing.toString(), SummaryFixtures.path("before.json").toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains(missing + ": no such file");
        Path html = Files.writeString(out.resolve("page.json"), "<html></html>");
        assertThat(compare(SummaryFixtures.path("before.json").toString(), html.toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains("page.json: not JSON");
        assertThat(compare(SummaryFixtures.path("before.json").toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains("Missing required parameter: 'AFTER.json'");
    }
}
