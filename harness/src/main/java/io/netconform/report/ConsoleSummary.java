package io.netconform.report;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The table printed at the end of a run: one line per check, then totals and failures by kind. */
public final class ConsoleSummary {

    private static final int SUITE = 24;
    private static final int CHECK = 44;
    private static final int STATUS = 7;
    private static final int TIME = 8;
    private static final int REASON = 60;

    private ConsoleSummary() {
    }

    public static String render(Summary summary) {
        StringBuilder out = new StringBuilder();
        String format = "%-" + SUITE + "s %-" + CHECK + "s %-" + STATUS + "s %" + TIME + "s  %s%n";
        out.append(String.format(format, "SUITE", "CHECK", "STATUS", "TIME", "REASON"));
        out.append("-".repeat(SUITE + CHECK + STATUS + TIME + REASON + 5)).append('\n');
        Map<Summary.Status, Integer> totals = new EnumMap<>(Summary.Status.class);
        Map<String, Integer> kinds = new TreeMap<>();
        for (Summary.Check check : summary.checks()) {
            totals.merge(check.status(), 1, Integer::sum);
            if (check.failing()) {
                kinds.merge(check.kind() == null ? "unclassified" : check.kind().title(), 1, Integer::sum);
            }
            out.append(String.format(format, fit(check.suite(), SUITE), fit(check.name(), CHECK), check.status(),
                    time(check.durationMs()), check.status() == Summary.Status.PASSED ? "" : fit(reason(check), REASON)));
        }
        out.append(String.format("%d checks: %d passed, %d failed, %d broken, %d skipped in %s%n",
                summary.checks().size(), count(totals, Summary.Status.PASSED), count(totals, Summary.Status.FAILED),
                count(totals, Summary.Status.BROKEN), count(totals, Summary.Status.SKIPPED),
                time(summary.durationMs())));
        if (!kinds.isEmpty()) {
            out.append("failures by kind: ").append(kinds.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
        return Redactor.redact(out.toString());
    }

    // the first line of the message without the marker: the marker is already summarised by kind
    private static String reason(Summary.Check check) {
        String message = check.message() == null ? "" : check.message().strip();
        if (check.kind() != null) {
            message = message.replace(check.kind().marker(), "").strip();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String fit(String text, int width) {
        String t = text == null ? "" : text;
        return t.length() <= width ? t : t.substring(0, width - 1) + "…";
    }

    static String time(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() > 0) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%.1fs", millis / 1000.0);
    }

    private static int count(Map<Summary.Status, Integer> totals, Summary.Status status) {
        return totals.getOrDefault(status, 0);
    }
}
