package io.netconform.cli;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One console line per finished check, so a long run shows where it is and what already failed. */
final class ProgressListener implements TestExecutionListener {

    private final PrintWriter out;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final AtomicInteger done = new AtomicInteger();
    private volatile TestPlan plan;

    ProgressListener(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        out.printf("running %d suites (checks are added as they discover node pairs and IP families)%n",
                testPlan.getRoots().stream().flatMap(r -> testPlan.getChildren(r).stream()).count());
        out.flush();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        // "▸ suite" is said by the suite itself when it gets its turn (ConformanceExtension): side by side, JUnit
        // starts every class at once and most of them wait
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest() || isClass(id)) {
            line("SKIP", id, 0, reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        long t0 = started.getOrDefault(id.getUniqueId(), System.nanoTime());
        double seconds = (System.nanoTime() - t0) / 1e9;
        String reason = result.getThrowable().map(t -> firstLine(t.getMessage())).orElse("");
        if (id.isTest()) {
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASS";
                case ABORTED -> "SKIP";
                case FAILED -> "FAIL";
            };
            line(status, id, seconds, reason);
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // a class-level failure (e.g. the fleet could not start) would otherwise go unseen
            line(result.getStatus() == TestExecutionResult.Status.ABORTED ? "SKIP" : "FAIL", id, seconds, reason);
        }
    }

    @Override
    public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
        entry.getKeyValuePairs().forEach((k, v) -> out.println("      " + k + ": " + v));
        out.flush();
    }

    private void line(String status, TestIdentifier id, double seconds, String reason) {
        int n = done.incrementAndGet();
        String name = plan == null ? id.getDisplayName() : parentName(id) + " › " + id.getDisplayName();
        out.printf("  [%3d] %-4s %-70s %6.1fs%s%n", n, status, truncate(name, 70), seconds,
                reason.isEmpty() ? "" : "  " + truncate(reason, 160));
        out.flush();
    }

    private String parentName(TestIdentifier id) {
        return plan.getParent(id).map(TestIdentifier::getDisplayName).orElse("");
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource)
                .orElse(false);
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
