package io.netconform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netconform.cli.Netconform;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;
import picocli.CommandLine;

/**
 * The connectivity suite end to end on a throw-away K3s cluster that {@code netconform run --embedded k3s} starts
 * in Docker: the whole command in-process, judged by its exit code and reports/summary.json.
 * Run by {@code make e2e}; skipped with the reason where no Docker engine runs.
 */
@Tag("e2e")
@Testcontainers(disabledWithoutDocker = true)
class EmbeddedK3sConnectivityTest {

    @TempDir
    Path reports;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void connectivitySuitePassesOnEmbeddedK3s() throws Exception {
        StringWriter console = new StringWriter();
        CommandLine cli = Netconform.commandLine();
        cli.setOut(new PrintWriter(console, true));
        cli.setErr(new PrintWriter(console, true));

        int exit = cli.execute("run", "--embedded", "k3s", "--include-tags", "connectivity",
                "--reports", reports.toString());

        assertThat(exit).as("netconform run --embedded k3s --include-tags connectivity:\n%s", console).isZero();
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.path("cluster").path("distribution").asText()).isEqualTo("k3s");
        List<String> passed = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        summary.path("checks").forEach(check -> {
            String line = check.path("suite").asText() + " / " + check.path("name").asText() + ": "
                    + check.path("status").asText() + " " + check.path("message").asText("");
            String status = check.path("status").asText();
            if (check.path("suite").asText().contains("Connectivity") && status.equals("PASSED")) {
                passed.add(line);
            }
            // a check may skip with its reason (e.g. IPv6 on a single-stack K3s); none may fail
            if (status.equals("FAILED") || status.equals("BROKEN")) {
                failing.add(line);
            }
        });
        assertThat(passed).as("passed connectivity checks in summary.json; console:\n%s", console).isNotEmpty();
        assertThat(failing).as("failed checks; console:\n%s", console).isEmpty();
        assertThat(reports.resolve("junit").resolve("TEST-junit-jupiter.xml")).isRegularFile();
    }
}
