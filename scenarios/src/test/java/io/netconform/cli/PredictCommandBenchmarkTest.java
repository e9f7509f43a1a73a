package io.netconform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netconform.policy.PredictWorkload;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code predict} end to end, as a user runs it: 600 pods x 300 policies, one port, {@code --format json} with the
 * explanation of every flow, written to a file. Each run is its own JVM; the figure is its wall time minus that of
 * {@code netconform --version} (JVM start and picocli), best of three. Memory: the run repeated under a heap cap.
 * Goal (issue 10): within 3 s beyond JVM start. Writes {@code reports/bench-harness/predict-command.json}.
 */
@Tag("benchmark")
class PredictCommandBenchmarkTest {

    static final String HEAP_CAP = "-Xmx128m";

    @TempDir
    Path dir;

    @Test
    void jsonWithExplanationsFor600PodsAnd300Policies() throws Exception {
        Path model = dir.resolve("model.yaml");
        Path policies = dir.resolve("policies.yaml");
        PredictWorkload.write(model, policies);
        Path out = dir.resolve("flows.json");
        String[] predict = {"predict", "--model", model.toString(), "--policies", policies.toString(), "--port", "8080",
                "--format", "json"};

        long jvm = Long.MAX_VALUE;
        long total = Long.MAX_VALUE;
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jvm = Math.min(jvm, run(List.of(), new String[]{"--version"}, dir.resolve("version.txt")));
            long t = run(List.of(), predict, out);
            runs.add(t);
            total = Math.min(total, t);
        }
        long bytes = Files.size(out);
        var flows = new ObjectMapper().readTree(out.toFile()).get("flows");
        assertThat(flows.size()).as("every ordered pair of the 600 pods on TCP/8080").isEqualTo(600 * 599);
        long capped = run(List.of(HEAP_CAP), predict, dir.resolve("capped.json"));

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode result = mapper.createObjectNode();
        result.put("benchmark", "predict-command");
        result.put("workload", "600 pods x 300 policies, TCP/8080, --format json (every flow explained)");
        result.put("flows", flows.size());
        result.put("output_bytes", bytes);
        result.put("bytes_per_flow", bytes / flows.size());
        result.put("jvm_start_ms", jvm);
        result.put("best_total_ms", total);
        result.put("best_beyond_jvm_start_ms", total - jvm);
        result.set("runs_ms", mapper.valueToTree(runs));
        result.put("goal_beyond_jvm_start_ms", 3000);
        result.put("completes_with_heap", HEAP_CAP);
        result.put("capped_run_ms", capped);
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("measured_at", Instant.now().toString());
        Path report = root().resolve("reports/bench-harness/predict-command.json");
        Files.createDirectories(report.getParent());
        Files.writeString(report, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        System.out.println("predict command benchmark: " + result);
    }

    /** Wall time of one netconform JVM; stdout to {@code out}; fails on a non-zero exit. */
    private static long run(List<String> jvmOptions, String[] args, Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                Netconform.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("predict", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", args), Files.readString(err)).isZero();
        return ms;
    }

    private static Path root() {
        String policies = System.getProperty("netconform.policies");
        return policies != null ? Path.of(policies).getParent() : Path.of("..");
    }
}
