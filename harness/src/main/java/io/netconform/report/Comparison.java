package io.netconform.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed between two runs (before / after an upgrade): reachability pairs that flipped, MTU and DNS
 * changes, checks that newly fail or were fixed, and latency shifts beyond {@link Tolerances}.
 */
public final class Comparison {

    /** One reachability cell whose observation changed. {@code regression}: the new value is not the expected one. */
    public record Flip(String matrix, String from, String to, String before, String after, String expected,
                       boolean regression) {
    }

    public record MtuChange(String path, Summary.Mtu before, Summary.Mtu after) {
        public boolean newlyFailing() {
            return before != null && before.passed() && (after == null || !after.passed());
        }
    }

    public record DnsChange(String lookup, Summary.Dns before, Summary.Dns after) {
        public boolean newlyFailing() {
            return (before == null || before.passed()) && after != null && !after.passed();
        }
    }

    /** A check whose status changed; {@code before} is null for a check new in this run. */
    public record StatusChange(String id, Summary.Status before, Summary.Status after, String message) {
    }

    public record LatencyShift(String key, double before, double after, String unit, boolean worse) {
        public double relative() {
            return before == 0 ? Double.POSITIVE_INFINITY : (after - before) / before;
        }
    }

    /**
     * A node-evidence finding of the after-run: {@code before} is the same node, key and phase in the baseline (null
     * when absent). {@code newlyFlagged}: flagged now and not in the baseline — e.g. insert_failed grew during dns.
     */
    public record NodeEvidenceChange(String id, Summary.NodeChange before, Summary.NodeChange after) {
        public boolean newlyFlagged() {
            return after.flagged() && (before == null || !before.flagged());
        }
    }

    private final Summary before;
    private final Summary after;
    private final Tolerances tolerances;
    private final List<Flip> flips = new ArrayList<>();
    private final List<MtuChange> mtu = new ArrayList<>();
    private final List<DnsChange> dns = new ArrayList<>();
    private final List<StatusChange> newFailures = new ArrayList<>();
    private final List<StatusChange> fixes = new ArrayList<>();
    private final List<LatencyShift> latency = new ArrayList<>();
    private final List<NodeEvidenceChange> nodeEvidence = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Comparison(Summary before, Summary after, Tolerances tolerances) {
        this.before = before;
        this.after = after;
        this.tolerances = tolerances;
    }

    public static Comparison compare(Summary before, Summary after, Tolerances tolerances) {
        if (!Objects.equals(before.schema(), after.schema())) {
            throw new IllegalArgumentException("cannot compare summaries of different schema versions: before is \""
                    + before.schema() + "\", after is \"" + after.schema() + "\"");
        }
        Comparison c = new Comparison(before, after, tolerances);
        c.compareChecks();
        c.compareReachability();
        c.compareMtu();
        c.compareDns();
        c.compareLatency();
        c.compareNodeEvidence();
        return c;
    }

    public List<Flip> flips() {
        return List.copyOf(flips);
    }

    public List<MtuChange> mtuChanges() {
        return List.copyOf(mtu);
    }

    public List<DnsChange> dnsChanges() {
        return List.copyOf(dns);
    }

    public List<StatusChange> newFailures() {
        return List.copyOf(newFailures);
    }

    public List<StatusChange> fixes() {
        return List.copyOf(fixes);
    }

    /** The after-run's flagged node-evidence changes, each with the baseline's counterpart. */
    public List<NodeEvidenceChange> nodeEvidence() {
        return List.copyOf(nodeEvidence);
    }

    public List<LatencyShift> latencyShifts() {
        return List.copyOf(latency);
    }

    /** Things the diff could not pair up, e.g. a matrix present in one run only. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public boolean changed() {
        return !flips.isEmpty() || !mtu.isEmpty() || !dns.isEmpty() || !newFailures.isEmpty() || !fixes.isEmpty()
                || !latency.isEmpty() || !nodeEvidence.isEmpty();
    }

    /**
     * True when the after-run is worse: a check newly fails, a pair flipped away from its expected value,
     * an MTU result changed, a DNS lookup newly fails, latency got worse beyond tolerance, or node evidence
     * flags something the baseline did not (a drop or race counter that now grows during a suite).
     */
    public boolean regressed() {
        return !newFailures.isEmpty() || flips.stream().anyMatch(Flip::regression) || !mtu.isEmpty()
                || dns.stream().anyMatch(DnsChange::newlyFailing) || latency.stream().anyMatch(LatencyShift::worse)
                || nodeEvidence.stream().anyMatch(NodeEvidenceChange::newlyFlagged);
    }

    private void compareChecks() {
        Map<String, Summary.Check> old = index(before.checks(), Summary.Check::id);
        for (Summary.Check now : after.checks()) {
            Summary.Check was = old.get(now.id());
            Summary.Status wasStatus = was == null ? null : was.status();
            if (now.failing() && (was == null || !was.failing())) {
                newFailures.add(new StatusChange(now.id(), wasStatus, now.status(), now.message()));
            } else if (was != null && was.failing() && now.status() == Summary.Status.PASSED) {
                fixes.add(new StatusChange(now.id(), wasStatus, now.status(), was.message()));
            }
        }
    }

    private void compareReachability() {
        Map<String, Summary.Matrix> old = index(before.reachability(), Summary.Matrix::key);
        Map<String, Summary.Matrix> now = index(after.reachability(), Summary.Matrix::key);
        old.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> notes.add("matrix only before: " + k));
        for (Summary.Matrix m : now.values()) {
            Summary.Matrix was = old.get(m.key());
            if (was == null) {
                notes.add("matrix only after: " + m.key());
                continue;
            }
            for (int i = 0; i < m.rows().size(); i++) {
                int wasRow = was.rows().indexOf(m.rows().get(i));
                for (int j = 0; j < m.cols().size(); j++) {
                    int wasCol = was.cols().indexOf(m.cols().get(j));
                    if (wasRow < 0 || wasCol < 0) {
                        continue;
                    }
                    String b = was.observed().get(wasRow).get(wasCol);
                    String a = m.observed().get(i).get(j);
                    // a drop turning into a reject is no flip of reachability, and an older summary wrote both as X
                    if (!Summary.Matrix.outcome(a).equals(Summary.Matrix.outcome(b))) {
                        String expected = m.expected().get(i).get(j);
                        flips.add(new Flip(m.key(), m.rows().get(i), m.cols().get(j), b, a, expected,
                                !Summary.Matrix.outcome(a).equals(expected)));
                    }
                }
            }
        }
    }

    private void compareMtu() {
        Map<String, Summary.Mtu> old = index(before.mtu(), Summary.Mtu::key);
        for (Summary.Mtu now : after.mtu()) {
            Summary.Mtu was = old.remove(now.key());
            if (was != null && !sameMtu(was, now)) {
                mtu.add(new MtuChange(now.key(), was, now));
            }
        }
        old.values().forEach(was -> notes.add("MTU path only before: " + was.key()));
    }

    private static boolean sameMtu(Summary.Mtu a, Summary.Mtu b) {
        return a.passed() == b.passed() && Objects.equals(a.interfaceMtu(), b.interfaceMtu())
                && Objects.equals(a.pmtu(), b.pmtu()) && Objects.equals(a.passSize(), b.passSize())
                && a.expected() == b.expected();
    }

    private void compareDns() {
        Map<String, Summary.Dns> old = index(before.dns(), Summary.Dns::key);
        for (Summary.Dns now : after.dns()) {
            Summary.Dns was = old.get(now.key());
            if (was == null ? !now.passed()
                    : was.passed() != now.passed() || !Objects.equals(was.observed(), now.observed())) {
                dns.add(new DnsChange(now.key(), was, now));
            }
        }
    }

    private void compareLatency() {
        Map<String, Summary.Latency> old = index(before.latency(), Summary.Latency::key);
        for (Summary.Latency now : after.latency()) {
            Summary.Latency was = old.get(now.key());
            if (was == null) {
                continue;
            }
            if (!Objects.equals(was.unit(), now.unit())) {
                notes.add("latency " + now.key() + ": unit changed from " + was.unit() + " to " + now.unit());
                continue;
            }
            double delta = now.value() - was.value();
            double relative = was.value() == 0 ? (delta == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(delta) / Math.abs(was.value());
            Optional<Double> deltaMs = toMillis(Math.abs(delta), now.unit());
            boolean beyond = relative > tolerances.relative()
                    && deltaMs.map(ms -> ms >= tolerances.absoluteMs()).orElse(true);
            if (beyond) {
                // rates (Mbit/s, req/s) get worse when they drop; times when they grow
                boolean worse = isRate(now.unit()) ? delta < 0 : delta > 0;
                latency.add(new LatencyShift(now.key(), was.value(), now.value(), now.unit(), worse));
            }
        }
    }

    private void compareNodeEvidence() {
        Map<String, Summary.NodeChange> old = index(before.nodeEvidence(), Summary.NodeChange::id);
        for (Summary.NodeChange now : after.nodeEvidence()) {
            if (now.flagged()) {
                nodeEvidence.add(new NodeEvidenceChange(now.id(), old.get(now.id()), now));
            }
        }
    }

    private static boolean isRate(String unit) {
        return unit != null && unit.endsWith("/s");
    }

    private static Optional<Double> toMillis(double value, String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "ns" -> Optional.of(value / 1_000_000);
            case "us", "µs" -> Optional.of(value / 1_000);
            case "ms" -> Optional.of(value);
            case "s" -> Optional.of(value * 1_000);
            default -> Optional.empty();
        };
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity(), (a, b) -> b, LinkedHashMap::new));
    }

    /** The diff as Markdown, for the console, a PR comment or a CI summary. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# netconform compare\n\n")
                .append("before: `").append(before.runId()).append("` (").append(clusterLine(before)).append(")  \n")
                .append("after:  `").append(after.runId()).append("` (").append(clusterLine(after)).append(")\n\n")
                .append("**").append(regressed() ? "REGRESSED" : changed() ? "changed, no regression" : "no change")
                .append("**\n");
        section(md, "New failures", List.of("check", "before", "after", "message"), newFailures,
                s -> List.of(s.id(), String.valueOf(s.before()), s.after().toString(), firstLine(s.message())));
        section(md, "Fixed", List.of("check", "before", "after"), fixes,
                s -> List.of(s.id(), String.valueOf(s.before()), s.after().toString()));
        section(md, "Reachability flips", List.of("matrix", "from", "to", "before", "after", "expected", ""), flips,
                f -> List.of(f.matrix(), f.from(), f.to(), f.before(), f.after(), f.expected(),
                        f.regression() ? "REGRESSION" : "now as expected"));
        section(md, "MTU changes", List.of("path", "before", "after"), mtu,
                m -> List.of(m.path(), mtuLine(m.before()), mtuLine(m.after())));
        section(md, "DNS changes", List.of("lookup", "before", "after"), dns,
                d -> List.of(d.lookup(), dnsLine(d.before()), dnsLine(d.after())));
        section(md, "Latency shifts beyond " + Math.round(tolerances.relative() * 100) + " % and "
                        + tolerances.absoluteMs() + " ms",
                List.of("path / metric", "before", "after", "change", ""), latency,
                l -> List.of(l.key(), num(l.before()) + " " + l.unit(), num(l.after()) + " " + l.unit(),
                        String.format(Locale.ROOT, "%+.0f %%", l.relative() * 100), l.worse() ? "worse" : "better"));
        section(md, "Node evidence flagged", List.of("node / what / during", "before", "after", ""), nodeEvidence,
                n -> List.of(n.id(), nodeLine(n.before()), nodeLine(n.after()),
                        n.newlyFlagged() ? "NEW" : "also in the baseline"));
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return Redactor.redact(md.toString());
    }

    /** The same content as a standalone HTML page; regressions are highlighted. */
    public String toHtml() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<title>netconform compare</title><style>body{font-family:sans-serif}"
                + "table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #bbb;padding:2px 8px}"
                + "tr.bad td{background:#fdd}tr.good td{background:#dfd}.verdict{font-size:1.3em;font-weight:bold}"
                + "</style></head><body><h1>netconform compare</h1>");
        html.append("<p>before: <code>").append(Table.escapeHtml(before.runId())).append("</code> (")
                .append(Table.escapeHtml(clusterLine(before))).append(")<br>after: <code>")
                .append(Table.escapeHtml(after.runId())).append("</code> (").append(Table.escapeHtml(clusterLine(after)))
                .append(")</p><p class=\"verdict\">")
                .append(regressed() ? "REGRESSED" : changed() ? "changed, no regression" : "no change").append("</p>");
        htmlSection(html, "New failures", List.of("check", "before", "after", "message"), newFailures,
                s -> List.of(s.id(), String.valueOf(s.before()), s.after().toString(), firstLine(s.message())),
                s -> true);
        htmlSection(html, "Fixed", List.of("check", "before", "after"), fixes,
                s -> List.of(s.id(), String.valueOf(s.before()), s.after().toString()), s -> false);
        htmlSection(html, "Reachability flips", List.of("matrix", "from", "to", "before", "after", "expected"), flips,
                f -> List.of(f.matrix(), f.from(), f.to(), f.before(), f.after(), f.expected()), Flip::regression);
        htmlSection(html, "MTU changes", List.of("path", "before", "after"), mtu,
                m -> List.of(m.path(), mtuLine(m.before()), mtuLine(m.after())), m -> true);
        htmlSection(html, "DNS changes", List.of("lookup", "before", "after"), dns,
                d -> List.of(d.lookup(), dnsLine(d.before()), dnsLine(d.after())), DnsChange::newlyFailing);
        htmlSection(html, "Latency shifts", List.of("path / metric", "before", "after", "change"), latency,
                l -> List.of(l.key(), num(l.before()) + " " + l.unit(), num(l.after()) + " " + l.unit(),
                        String.format(Locale.ROOT, "%+.0f %%", l.relative() * 100)), LatencyShift::worse);
        htmlSection(html, "Node evidence flagged", List.of("node / what / during", "before", "after"), nodeEvidence,
                n -> List.of(n.id(), nodeLine(n.before()), nodeLine(n.after())), NodeEvidenceChange::newlyFlagged);
        if (!notes.isEmpty()) {
            html.append("<h2>Notes</h2><ul>");
            notes.forEach(n -> html.append("<li>").append(Table.escapeHtml(n)).append("</li>"));
            html.append("</ul>");
        }
        return Redactor.redact(html.append("</body></html>").toString());
    }

    /** Writes {@code compare.md} and {@code compare.html} into {@code dir} and attaches both when Allure is active. */
    public List<java.nio.file.Path> write(java.nio.file.Path dir) {
        String md = toMarkdown();
        String html = toHtml();
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path mdFile = java.nio.file.Files.writeString(dir.resolve("compare.md"), md);
            java.nio.file.Path htmlFile = java.nio.file.Files.writeString(dir.resolve("compare.html"), html);
            Report.attachText("baseline diff (markdown)", md);
            Report.attachHtml("baseline diff", html);
            return List.of(mdFile, htmlFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the baseline diff into " + dir, e);
        }
    }

    private static <T> void section(StringBuilder md, String title, List<String> header, List<T> items,
                                    Function<T, List<String>> row) {
        if (items.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append(" (").append(items.size()).append(")\n\n")
                .append(Table.of(header, items, row).markdown());
    }

    private static <T> void htmlSection(StringBuilder html, String title, List<String> header, List<T> items,
                                        Function<T, List<String>> row, java.util.function.Predicate<T> bad) {
        if (items.isEmpty()) {
            return;
        }
        html.append("<h2>").append(Table.escapeHtml(title)).append(" (").append(items.size()).append(")</h2>")
                .append(new Table(header, items.stream().map(item -> new Table.Row(row.apply(item).stream()
                        .map(Table.Cell::plain).toList(), bad.test(item) ? "bad" : "good")).toList()).html());
    }

    private static String clusterLine(Summary s) {
        Summary.Cluster c = s.cluster();
        String cni = s.cni().isEmpty() ? "cni ?" : s.cni().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return (c == null ? "cluster ?" : c.distribution() + " " + c.version()) + ", " + cni;
    }

    private static String mtuLine(Summary.Mtu m) {
        if (m == null) {
            return "—";
        }
        return (m.passed() ? "pass" : "FAIL") + ", expected " + m.expected() + ", if " + m.interfaceMtu() + ", pmtu "
                + m.pmtu() + ", passes " + m.passSize() + (m.failSizeOutcome() == null ? "" : ", +1: " + m.failSizeOutcome());
    }

    private static String nodeLine(Summary.NodeChange n) {
        return n == null ? "—" : (n.delta() != 0 ? String.format(Locale.ROOT, "%+d", n.delta())
                : n.before() + " → " + n.after()) + (n.flagged() ? " (flagged)" : "");
    }

    private static String dnsLine(Summary.Dns d) {
        return d == null ? "—" : (d.passed() ? "pass" : "FAIL") + ": " + d.observed();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
