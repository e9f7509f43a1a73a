package io.netconform.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCompareCommandTest {

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return InProcess.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench-compare", args);
    }

    /** The bench fixtures live in harness's test resources, shared through its test-jar. */
    Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/bench/" + name)) {
            assertThat(in).as("harness test resource bench/" + name).isNotNull();
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    @Test
    void comparesResultsWithSummariesAndWritesEveryFile() throws IOException {
        Path outDir = dir.resolve("cmp");
        int exit = run(resource("rke2-canal.json").toString(), resource("rke2-cilium.json").toString(),
                "--summary", resource("summary-canal.json").toString(), "--summary", resource("summary-cilium.json").toString(),
                "--out", outDir.toString());
        assertThat(exit).as("stderr: " + err).isZero();
        assertThat(out.toString()).contains("# CNI benchmark comparison", "| **9255 ±135** |", "## Behaviour");
        for (String f : new String[]{"comparison.md", "comparison.html", "throughput.png", "latency.png"}) {
            assertThat(outDir.resolve(f)).isNotEmptyFile();
        }
        assertThat(Files.readString(outDir.resolve("comparison.md"))).isEqualTo(out.toString().substring(0, out.toString().indexOf("\nwrote ")));
    }

    @Test
    void noFileIsBadInput() {
        assertThat(run("--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no bench result given: expected at least 1 file");
    }

    @Test
    void missingFileIsBadInput() {
        assertThat(run(dir.resolve("gone.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("gone.json does not exist");
        assertThat(dir.resolve("reports")).doesNotExist();
    }

    @Test
    void aFileThatIsNotABenchResultIsBadInput() throws IOException {
        assertThat(run(resource("summary-canal.json").toString(), "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a bench result", "netconform.summary/v1");
    }

    @Test
    void mixedSchemaVersionsNameBothFiles() throws IOException {
        Path v1 = resource("rke2-canal.json");
        Path v2 = Files.writeString(dir.resolve("cilium-next.json"),
                Files.readString(resource("rke2-cilium.json")).replace("netconform.bench/v1", "netconform.bench/v2"));
        assertThat(run(v1.toString(), v2.toString(), "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("mixed schema versions", "rke2-canal.json has \"netconform.bench/v1\"",
                "cilium-next.json has \"netconform.bench/v2\"");
    }

    @Test
    void aBadSummaryIsBadInput() throws IOException {
        assertThat(run(resource("rke2-canal.json").toString(), "--summary", resource("rke2-cilium.json").toString(),
                "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a conformance summary");
    }
}
