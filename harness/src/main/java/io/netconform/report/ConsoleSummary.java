package io.netconform.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The table printed at the end of a run: one line per check, then totals and failures by kind. */
public final class ConsoleSummary {

    private static final List<String> HEADER = List.of("SUITE", "CHECK", "STATUS", "TIME", "REASON");
    private static final List<Table.Column> COLUMNS = List.of(Table.Column.left(24), Table.Column.left(44),
            new Table.Column(7, false, false), Table.Column.right(8), Table.Column.left(60));
    private static final List<Integer> GAPS = List.of(0, 1, 1, 1, 2);
    private static final int RULE = 24 + 44 + 7 + 8 + 60 + 5;

    private ConsoleSummary() {
    }

    public static String render(Summary summary) {
        List<Table.Row> rows = new ArrayList<>();
        Map<Summary.Status, Integer> totals = new EnumMap<>(Summary.Status.class);
        Map<String, Integer> kinds = new TreeMap<>();
        for (Summary.Check check : summary.checks()) {
            totals.merge(check.status(), 1, Integer::sum);
            if (check.failing()) {
                kinds.merge(check.kind() == null ? "unclassified" : check.kind().title(), 1, Integer::sum);
            }
            rows.add(Table.Row.plain(Arrays.asList(check.suite(), check.name(), check.status().toString(),
                    time(check.durationMs()), check.status() == Summary.Status.PASSED ? "" : reason(check))));
        }
        StringBuilder out = new StringBuilder(new Table(HEADER, rows).text(COLUMNS, GAPS, RULE));
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
