package io.netconform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.netconform.report.Summary;
import io.netconform.report.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Side-by-side figures of several clusters: one column per cluster, one row per path and metric.
 *
 * <p>In each row the best mean is marked (higher is better for throughput, lower for latency, jitter
 * and loss); a value whose 95 % interval does not overlap the best one's is marked as different
 * beyond measurement noise, and a figure whose interval is wide is flagged — a best value without
 * a significant difference beside it is not a win. Optional conformance summaries
 * ({@code netconform.summary/v1}, read as plain JSON) add a behaviour section.
 */
public final class BenchComparison {

    /** One cluster's value in a row: statistics or the reason there are none. */
    public record Cell(Stats stats, String error, boolean best, boolean beyondCi) {
        public boolean wide() {
            return stats != null && stats.wide();
        }
    }

    public record Row(String path, Metric metric, List<Cell> cells) {
    }

    private static final String CLUSTER_WIDE = "cluster-wide";

    private final List<BenchResult> results;
    private final List<String> labels;
    private final List<Row> rows;
    private final List<JsonNode> summaries;

    private BenchComparison(List<BenchResult> results, List<JsonNode> summaries) {
        this.results = List.copyOf(results);
        this.labels = uniqueLabels(results);
        this.rows = buildRows(results);
        this.summaries = List.copyOf(summaries);
    }

    /** Compares results that all have schema {@value BenchResult#SCHEMA}. */
    public static BenchComparison of(List<BenchResult> results) {
        if (results == null || results.isEmpty()) {
            throw new BenchInputException("nothing to compare: give at least one bench result");
        }
        Map<String, String> schemas = new LinkedHashMap<>();
        results.forEach(r -> schemas.putIfAbsent(r.schema(), r.label()));
        checkSchemas(schemas);
        return new BenchComparison(results, List.of());
    }

    /** Reads result files and compares them; a mixed-version error names the files. */
    public static BenchComparison load(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new BenchInputException("nothing to compare: give at least one bench result file (reports/bench/*.json)");
        }
        List<BenchResult> results = new ArrayList<>();
        Map<String, String> schemas = new LinkedHashMap<>();
        for (Path file : files) {
            BenchResult result = BenchResult.read(file);
            schemas.putIfAbsent(result.schema(), file.toString());
            results.add(result);
        }
        checkSchemas(schemas);
        return new BenchComparison(results, List.of());
    }

    private static void checkSchemas(Map<String, String> firstBySchema) {
        if (firstBySchema.size() > 1) {
            throw new BenchInputException("mixed schema versions, results cannot be compared: " + firstBySchema.entrySet().stream()
                    .map(e -> e.getValue() + " has \"" + e.getKey() + "\"").collect(Collectors.joining(", "))
                    + "; re-run the older benchmark or compare files of one version");
        }
        String schema = firstBySchema.keySet().iterator().next();
        if (!schema.equals(BenchResult.SCHEMA)) {
            throw new BenchInputException(firstBySchema.get(schema) + " has schema \"" + schema
                    + "\", this netconform reads \"" + BenchResult.SCHEMA + "\"");
        }
    }

    /** Reads a conformance summary as plain JSON, accepting anything that is not another kind of file. */
    public static JsonNode readSummary(Path file) {
        JsonNode root = Summary.readJson(file);
        String schema = root.path("schema").asText("");
        if (!schema.isEmpty() && !schema.startsWith("netconform.summary/")) {
            throw new BenchInputException(file + " is not a conformance summary: schema \"" + schema
                    + "\", expected \"netconform.summary/v1\"");
        }
        return root;
    }

    public BenchComparison withSummaries(List<JsonNode> summaries) {
        return new BenchComparison(results, summaries);
    }

    public List<String> labels() {
        return labels;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Writes comparison.md, comparison.html, throughput.png and latency.png into {@code dir}. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path throughput = dir.resolve("throughput.png");
        Path latency = dir.resolve("latency.png");
        BenchCharts.throughput(this, throughput);
        BenchCharts.latency(this, latency);
        Path md = Files.writeString(dir.resolve("comparison.md"), markdown());
        Path html = Files.writeString(dir.resolve("comparison.html"), html(throughput.getFileName().toString(),
                latency.getFileName().toString()));
        return List.of(md, html, throughput, latency);
    }

    // ---- building the rows

    private static List<String> uniqueLabels(List<BenchResult> results) {
        List<String> labels = new ArrayList<>();
        for (BenchResult r : results) {
            // the same cluster before and after an upgrade: tell the columns apart by time
            boolean repeated = results.stream().filter(o -> o.label().equals(r.label())).count() > 1;
            labels.add(repeated ? r.label() + " @ " + r.timestamp() : r.label());
        }
        return labels;
    }

    private static List<Row> buildRows(List<BenchResult> results) {
        Map<String, BenchPath> paths = new TreeMap<>();
        results.forEach(r -> r.paths().forEach(p -> paths.putIfAbsent(p.path().key(), p.path())));
        List<BenchPath> ordered = paths.values().stream()
                .sorted(Comparator.comparing(BenchPath::placement).thenComparing(BenchPath::ipFamily).thenComparing(BenchPath::network))
                .toList();
        List<Row> rows = new ArrayList<>();
        for (BenchPath path : ordered) {
            for (Metric metric : Metric.values()) {
                List<Cell> cells = new ArrayList<>();
                boolean any = false;
                for (BenchResult r : results) {
                    Figure f = r.figure(path.key(), metric).orElse(null);
                    any |= f != null;
                    cells.add(f == null ? new Cell(null, notMeasured(r, path), false, false) : new Cell(f.stats(), f.error(), false, false));
                }
                if (any) {
                    rows.add(new Row(path.key(), metric, mark(metric, cells)));
                }
            }
        }
        addClusterWide(rows, results, Metric.POLICY_ENFORCEMENT, BenchResult::policyEnforcementLatencyMs);
        addClusterWide(rows, results, Metric.POLICY_REMOVAL, BenchResult::policyRemovalLatencyMs);
        addClusterWide(rows, results, Metric.POLICY_REVOCATION, BenchResult::policyRevocationLatencyMs);
        addClusterWide(rows, results, Metric.POD_NETWORK_READY, BenchResult::podStartToNetworkReadyMs);
        return rows;
    }

    private static void addClusterWide(List<Row> rows, List<BenchResult> results, Metric metric,
                                       java.util.function.Function<BenchResult, Stats> stats) {
        if (results.stream().map(stats).allMatch(Objects::isNull)) {
            return;
        }
        List<Cell> cells = results.stream().map(r -> {
            Stats s = stats.apply(r);
            return new Cell(s, s == null ? "not measured in this run" : null, false, false);
        }).toList();
        rows.add(new Row(CLUSTER_WIDE, metric, mark(metric, cells)));
    }

    private static String notMeasured(BenchResult result, BenchPath path) {
        String reasons = result.missing().stream()
                .filter(m -> path.placement() == BenchPath.Placement.CROSS_NODE && m.what().startsWith("cross-node")
                        || m.what().contains(path.key()))
                .map(BenchResult.Missing::reason).collect(Collectors.joining("; "));
        // the reason is spelled out once, in the clusters table, not in every row
        return reasons.isEmpty() ? "not measured" : "not measured (see \"not measured\" above)";
    }

    private static List<Cell> mark(Metric metric, List<Cell> cells) {
        int best = -1;
        long measured = cells.stream().filter(c -> c.stats() != null).count();
        for (int i = 0; i < cells.size(); i++) {
            Stats s = cells.get(i).stats();
            if (s != null && (best < 0 || metric.better(s.mean(), cells.get(best).stats().mean()))) {
                best = i;
            }
        }
        List<Cell> marked = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            boolean isBest = measured > 1 && i == best;
            boolean beyond = c.stats() != null && best >= 0 && i != best && c.stats().differsFrom(cells.get(best).stats());
            marked.add(new Cell(c.stats(), c.error(), isBest, beyond));
        }
        return marked;
    }

    // ---- rendering: one model of tables, two notations

    /** A titled table with its explanation; the table itself is the shared model ({@link Table}). */
    private record Section(String title, List<String> intro, Table table) {
    }

    private List<Section> tables() {
        List<Section> tables = new ArrayList<>();
        tables.add(clustersTable());
        tables.add(figuresTable());
        if (results.stream().anyMatch(r -> !r.hostNetworkRatios().isEmpty())) {
            tables.add(hostRatioTable());
        }
        if (!summaries.isEmpty()) {
            tables.add(behaviourTable());
        }
        return tables;
    }

    private Section clustersTable() {
        List<String> header = new ArrayList<>(List.of(""));
        header.addAll(labels);
        List<Table.Row> rows = new ArrayList<>();
        rows.add(line("distribution", r -> r.cluster().distribution() + " " + r.cluster().kubernetesVersion()));
        rows.add(line("nodes", r -> String.valueOf(r.cluster().nodeCount())));
        rows.add(line("CNI profile", r -> r.cni().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        rows.add(line("measured at", r -> String.valueOf(r.timestamp())));
        rows.add(line("method", r -> r.settings() == null ? "?" : String.format(Locale.ROOT,
                "iperf3 %d s × %d (+%d warm-up), -P %d, UDP -b %s; %d pings, %d requests",
                r.settings().iperfSeconds(), r.settings().repeats(), r.settings().warmup(), r.settings().parallelStreams(),
                r.settings().udpRate(), r.settings().pingCount(), r.settings().requests())));
        rows.add(line("not measured", r -> r.missing().isEmpty() ? "—" : r.missing().stream()
                .map(m -> m.what() + ": " + m.reason()).collect(Collectors.joining("; "))));
        List<String> intro = new ArrayList<>();
        if (results.stream().map(BenchResult::settings).distinct().count() > 1) {
            intro.add("⚠ The clusters were measured with different settings (see \"method\"): compare with care.");
        }
        return new Section("Clusters", intro, new Table(header, rows));
    }

    private Table.Row line(String name, java.util.function.Function<BenchResult, String> value) {
        List<Table.Cell> row = new ArrayList<>();
        row.add(Table.Cell.bold(name));
        results.forEach(r -> row.add(Table.Cell.plain(value.apply(r))));
        return Table.Row.of(row);
    }

    private Section figuresTable() {
        List<String> header = new ArrayList<>(List.of("path", "metric", "unit"));
        header.addAll(labels);
        List<Table.Row> out = new ArrayList<>();
        for (Row row : rows) {
            List<Table.Cell> line = new ArrayList<>(List.of(Table.Cell.plain(row.path()),
                    Table.Cell.plain(row.metric().label()), Table.Cell.plain(row.metric().unit())));
            row.cells().forEach(c -> line.add(cellText(c)));
            out.add(Table.Row.of(line));
        }
        int threshold = (int) Math.round(results.stream().filter(r -> r.settings() != null)
                .mapToDouble(r -> r.settings().wideThreshold()).max().orElse(Stats.DEFAULT_WIDE_THRESHOLD) * 100);
        List<String> intro = List.of(
                "Values are mean ±half-width of the 95 % confidence interval (Student t).",
                "**bold** = best value in the row (higher throughput; lower latency, jitter, loss, retransmits); "
                        + "† = differs from the best beyond the 95 % intervals (they do not overlap); "
                        + "⚠ wide = interval half-width above " + threshold + " % of the mean, not to be read as a fact; "
                        + "✗ = failed or not measured, with the reason.");
        return new Section("Figures", intro, new Table(header, out));
    }

    private static Table.Cell cellText(Cell c) {
        if (c.stats() == null) {
            return Table.Cell.styled(c.error().startsWith("not measured") ? "— " + c.error() : "✗ " + c.error(), false, "failed");
        }
        StringBuilder text = new StringBuilder(Numbers.meanAndInterval(c.stats()));
        if (c.beyondCi()) {
            text.append(" †");
        }
        if (c.wide()) {
            text.append(" ⚠ wide");
        }
        return Table.Cell.styled(text.toString(), c.best(), c.wide() ? "wide" : c.best() ? "best" : c.beyondCi() ? "differs" : "");
    }

    private Section hostRatioTable() {
        Set<String> keys = new LinkedHashSet<>();
        results.forEach(r -> r.hostNetworkRatios().forEach(h -> keys.add(h.placement() + " " + h.ipFamily())));
        List<String> header = new ArrayList<>(List.of("placement, family"));
        header.addAll(labels);
        List<Table.Row> rows = new ArrayList<>();
        for (String key : keys) {
            List<Table.Cell> line = new ArrayList<>(List.of(Table.Cell.plain(key.toLowerCase(Locale.ROOT).replace('_', '-'))));
            for (BenchResult r : results) {
                line.add(r.hostNetworkRatios().stream().filter(h -> (h.placement() + " " + h.ipFamily()).equals(key)).findFirst()
                        .map(h -> Table.Cell.styled(h.verdict() + (h.ratio() == null ? "" : String.format(Locale.ROOT, " %.1f %%", h.ratio() * 100))
                                + " — " + h.reason(), false, h.verdict().equals("PASS") ? "best" : "failed"))
                        .orElse(Table.Cell.plain("—")));
            }
            rows.add(Table.Row.of(line));
        }
        return new Section("Pod network vs host network (TCP, 1 stream)",
                List.of("PASS when pod-network throughput is within the configured tolerance of host-network throughput."),
                new Table(header, rows));
    }

    private Section behaviourTable() {
        List<String> header = new ArrayList<>(List.of("check"));
        summaries.forEach(s -> header.add(summaryLabel(s)));
        Map<String, List<Table.Cell>> checks = new LinkedHashMap<>();
        for (int i = 0; i < summaries.size(); i++) {
            for (JsonNode check : summaries.get(i).path("checks")) {
                String id = check.path("id").asText("?");
                List<Table.Cell> line = checks.computeIfAbsent(id, k -> blankLine(k, summaries.size()));
                String status = check.path("status").asText("?");
                line.set(i + 1, Table.Cell.styled(status, false, status.matches("(?i)pass(ed)?|ok") ? "best"
                        : status.matches("(?i)fail(ed)?|broken|error") ? "failed" : ""));
            }
        }
        List<Table.Row> rows = new ArrayList<>();
        rows.add(summaryLine("SCTP support", BenchComparison::sctp));
        rows.add(summaryLine("path MTU found", BenchComparison::mtu));
        rows.add(summaryLine("policy enforcement (convergence)", BenchComparison::convergence));
        rows.add(summaryLine("open flows after a deny", s -> s.path("cni").path("established-flows.deny-applied").asText("—")));
        rows.add(summaryLine("open flows after an allow is removed",
                s -> s.path("cni").path("established-flows.allow-removed").asText("—")));
        checks.values().forEach(c -> rows.add(Table.Row.of(c)));
        return new Section("Behaviour (conformance summaries)",
                List.of("Status of each conformance check per run; a FAILED policy check means the CNI did not enforce that policy."),
                new Table(header, rows));
    }

    private static List<Table.Cell> blankLine(String name, int columns) {
        List<Table.Cell> line = new ArrayList<>();
        line.add(Table.Cell.plain(name));
        for (int i = 0; i < columns; i++) {
            line.add(Table.Cell.plain("—"));
        }
        return line;
    }

    private Table.Row summaryLine(String name, java.util.function.Function<JsonNode, String> value) {
        List<Table.Cell> line = new ArrayList<>(List.of(Table.Cell.bold(name)));
        summaries.forEach(s -> line.add(Table.Cell.plain(value.apply(s))));
        return Table.Row.of(line);
    }

    private static String summaryLabel(JsonNode summary) {
        JsonNode cni = summary.path("cni");
        String name = cni.isObject() ? (cni.path("name").asText("?") + " " + cni.path("version").asText("")).strip() : cni.asText("?");
        String cluster = summary.path("cluster").path("name").asText(summary.path("cluster").path("server").asText(""));
        return cluster.isEmpty() ? name : cluster + " (" + name + ")";
    }

    private static String sctp(JsonNode summary) {
        List<String> statuses = new ArrayList<>();
        for (JsonNode check : summary.path("checks")) {
            if (check.path("id").asText("").toLowerCase(Locale.ROOT).contains("sctp")) {
                statuses.add(check.path("status").asText("?").toUpperCase(Locale.ROOT));
            }
        }
        if (statuses.isEmpty()) {
            return "not tested";
        }
        if (statuses.stream().allMatch(s -> s.startsWith("PASS"))) {
            return "yes (" + statuses.size() + " SCTP check(s) passed)";
        }
        if (statuses.stream().anyMatch(s -> s.startsWith("FAIL") || s.equals("BROKEN"))) {
            return "no (" + statuses.stream().filter(s -> s.startsWith("FAIL") || s.equals("BROKEN")).count()
                    + " of " + statuses.size() + " SCTP check(s) failed)";
        }
        return String.join(", ", statuses);
    }

    private static String mtu(JsonNode summary) {
        List<String> parts = new ArrayList<>();
        for (JsonNode m : summary.path("mtu")) {
            if (!m.isObject()) {
                parts.add(m.asText());
                continue;
            }
            String path = m.has("from") ? m.path("from").asText() + "→" + m.path("to").asText() : m.path("path").asText("");
            JsonNode found = m.has("pmtu") && !m.path("pmtu").isNull() ? m.path("pmtu") : m.path("interfaceMtu");
            StringBuilder text = new StringBuilder(path).append(path.isEmpty() ? "" : ": ")
                    .append(found.isMissingNode() || found.isNull() ? "?" : found.asText());
            if (m.has("expected")) {
                text.append(" (expected ").append(m.path("expected").asText()).append(')');
            }
            if (m.has("passed")) {
                text.append(m.path("passed").asBoolean() ? " ✓" : " ✗");
            }
            parts.add(text.toString());
        }
        return parts.isEmpty() ? "—" : String.join("; ", parts);
    }

    private static String convergence(JsonNode summary) {
        List<Long> ms = new ArrayList<>();
        for (JsonNode matrix : summary.path("reachability")) {
            if (matrix.path("convergedMs").isNumber()) {
                ms.add(matrix.path("convergedMs").asLong());
            }
        }
        if (ms.isEmpty()) {
            return "—";
        }
        return "max " + ms.stream().mapToLong(Long::longValue).max().getAsLong() + " ms over " + ms.size() + " policy checks";
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# CNI benchmark comparison\n");
        for (Section t : tables()) {
            md.append("\n## ").append(t.title()).append("\n\n");
            t.intro().forEach(i -> md.append(i).append("\n\n"));
            md.append(t.table().markdown());
        }
        return md.toString();
    }

    public String html(String throughputPng, String latencyPng) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>CNI benchmark comparison</title>
                <style>
                body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;margin-bottom:2em}
                td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
                .best{background:#e6f4ea} .differs{background:#fff} .wide{background:#fff4d6} .failed{background:#fde8e8}
                </style></head><body>
                <h1>CNI benchmark comparison</h1>
                """);
        for (Section t : tables()) {
            html.append("<h2>").append(esc(t.title())).append("</h2>\n");
            t.intro().forEach(i -> html.append("<p>").append(esc(i).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>")).append("</p>\n"));
            html.append(t.table().html());
        }
        html.append("<h2>Charts</h2>\n<p>Error bars: 95 % confidence interval of the mean. Failed figures are gaps, not zeros.</p>\n")
                .append("<img src=\"").append(esc(throughputPng)).append("\" alt=\"throughput per path and cluster\"><br>\n")
                .append("<img src=\"").append(esc(latencyPng)).append("\" alt=\"latency per path and cluster\">\n")
                .append("</body></html>\n");
        return html.toString();
    }

    private static String esc(String text) {
        return Table.escapeHtml(text);
    }
}
