package io.netconform.cli;

import io.netconform.junit.Run;
import io.netconform.report.AllureResults;
import io.netconform.report.Comparison;
import io.netconform.report.ConformanceReport;
import io.netconform.report.ConsoleSummary;
import io.netconform.report.Summary;
import io.netconform.report.SummaryRecorder;
import io.netconform.report.Tolerances;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Everything a run writes under reports/: Allure results, summary.json, the console table, a baseline diff. */
final class RunReports {

    private final Path dir;

    private RunReports(Path dir) {
        this.dir = dir;
    }

    /** Clears the previous run's Allure results (keeping reports/history for trends) and points Allure here. */
    static RunReports prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        AllureResults.prepare(dir.resolve("allure-results"), true);
        AllureResults.writeExecutor(dir.resolve("allure-results"), System.getenv());
        Files.deleteIfExists(dir.resolve("summary.json"));
        Files.deleteIfExists(dir.resolve(ConformanceReport.FILE));
        return new RunReports(dir);
    }

    /** Environment facts for the report: cluster, CNI, images, harness — never credentials. */
    void environment(Run run) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("kubernetes.version", run.cluster().kubernetesVersion());
        env.put("kubernetes.distribution", run.cluster().distribution());
        env.put("nodes", String.valueOf(run.placement().nodes().size()));
        run.cni().asMap().forEach((k, v) -> env.put("cni." + k, v));
        run.images().asMap().forEach((role, image) -> env.put("image." + role, image));
        env.put("harness.version", Run.harnessVersion());
        env.put("run.id", run.id());
        AllureResults.writeEnvironment(dir.resolve("allure-results"), env);
    }

    /** Records every finished or skipped check into the run's summary. */
    static TestExecutionListener checkRecorder(Run run) {
        SummaryRecorder summary = run.summary();
        Map<String, Long> started = new ConcurrentHashMap<>();
        return new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
            }

            @Override
            public void executionStarted(TestIdentifier id) {
                started.put(id.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    summary.skipped(id.getUniqueId(), suite(id), id.getDisplayName(), reason);
                } else {
                    // a skipped class or factory: its checks never appear, so record it once as a check
                    plan.getChildren(id).forEach(child -> executionSkipped(child, reason));
                    if (plan.getChildren(id).isEmpty()) {
                        summary.skipped(id.getUniqueId(), suite(id), id.getDisplayName(), reason);
                    }
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                boolean failedContainer = !id.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
                if (!id.isTest() && !failedContainer) {
                    return;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime()));
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    summary.skipped(id.getUniqueId(), suite(id), id.getDisplayName(),
                            result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                } else {
                    summary.check(id.getUniqueId(), suite(id), id.getDisplayName(),
                            result.getThrowable().orElse(null), took, Map.of());
                }
            }

            private String suite(TestIdentifier id) {
                TestIdentifier cur = id;
                while (cur != null) {
                    if (cur.getSource().filter(s -> s instanceof ClassSource).isPresent()) {
                        return cur.getDisplayName();
                    }
                    cur = plan.getParent(cur).orElse(null);
                }
                return id.getDisplayName();
            }
        };
    }

    /** A failure's whole message, indented under its check and cut at a length a console can take. */
    private static String indent(String message) {
        String text = message == null ? "" : message;
        String[] lines = text.split("\n");
        int max = 60;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, max); i++) {
            b.append("    ").append(lines[i]).append('\n');
        }
        if (lines.length > max) {
            b.append("    … ").append(lines.length - max).append(" more lines in summary.json and the JUnit XML\n");
        }
        return b.toString();
    }

    /** Writes summary.json, prints the table, compares with a baseline, and decides the exit code. */
    int finish(Run run, TestExecutionSummary totals, Path baseline, PrintWriter out, PrintWriter err) {
        Summary summary = run.summary().write(dir.resolve("summary.json"));
        // for CNI teams: the cluster-policy results in upstream's ConformanceReport shape
        ConformanceReport.write(summary, dir);
        out.println();
        summary.checks().stream()
                .filter(c -> c.status() == Summary.Status.FAILED || c.status() == Summary.Status.BROKEN)
                .forEach(c -> out.println("✗ " + c.suite() + " › " + c.name() + "\n" + indent(c.message())));
        out.println(ConsoleSummary.render(summary));
        out.printf("execs: %d · reports: %s (summary.json, junit/, allure-results/)%n", run.execCount(), dir);
        int exit = totals.getTotalFailureCount() > 0 ? 1 : 0;
        if (run.fatal().isPresent()) {
            err.println("netconform run: could not run: " + run.fatal().get().getMessage());
            exit = 2;
        } else if (totals.getTestsFoundCount() == 0) {
            err.println("netconform run: no checks matched the selected tags");
            exit = 2;
        }
        if (baseline != null) {
            try {
                Comparison diff = Comparison.compare(Summary.read(baseline), summary, Tolerances.defaults());
                diff.write(dir);
                out.println();
                out.println(diff.toMarkdown());
                if (diff.regressed() && exit == 0) {
                    exit = 1;
                }
            } catch (RuntimeException e) {
                err.println("netconform run: cannot compare with baseline " + baseline + ": " + e.getMessage());
                exit = Math.max(exit, 2);
            }
        }
        out.flush();
        err.flush();
        return exit;
    }
}
