package io.netconform.bench;

import io.netconform.report.Table;

import java.util.ArrayList;
import java.util.List;

/** The console view of one {@link BenchResult}: one line per path and metric, failures and wide figures called out. */
public final class BenchTable {

    private BenchTable() {
    }

    public static String render(BenchResult result) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"path", "metric", "mean ±CI95", "p50", "p99", "n", "unit", "note"});
        for (PathResult path : result.paths()) {
            for (Figure f : path.figures()) {
                rows.add(row(path.path().key(), f.metric(), f.stats(), f.error()));
            }
        }
        addClusterWide(rows, Metric.POLICY_ENFORCEMENT, result.policyEnforcementLatencyMs());
        addClusterWide(rows, Metric.POLICY_REMOVAL, result.policyRemovalLatencyMs());
        addClusterWide(rows, Metric.POLICY_REVOCATION, result.policyRevocationLatencyMs());
        addClusterWide(rows, Metric.POD_NETWORK_READY, result.podStartToNetworkReadyMs());

        StringBuilder out = new StringBuilder();
        out.append("Benchmark ").append(result.label()).append(", ").append(result.cluster().distribution())
                .append(' ').append(result.cluster().kubernetesVersion()).append(", ")
                .append(result.cluster().nodeCount()).append(" node(s), ").append(result.timestamp()).append('\n');
        out.append(Table.of(List.of(rows.get(0)), rows.subList(1, rows.size()), List::of).text());
        for (BenchResult.HostRatio ratio : result.hostNetworkRatios()) {
            out.append("pod vs host network, ").append(ratio.placement()).append(' ').append(ratio.ipFamily())
                    .append(": ").append(ratio.verdict()).append(" — ").append(ratio.reason()).append('\n');
        }
        for (BenchResult.Missing m : result.missing()) {
            out.append("not measured: ").append(m.what()).append(" — ").append(m.reason()).append('\n');
        }
        return out.toString();
    }

    private static void addClusterWide(List<String[]> rows, Metric metric, Stats stats) {
        if (stats != null) {
            rows.add(row("cluster-wide", metric, stats, null));
        }
    }

    private static String[] row(String path, Metric metric, Stats s, String error) {
        if (s == null) {
            return new String[]{path, metric.label(), "FAILED", "", "", "", metric.unit(), error};
        }
        return new String[]{path, metric.label(), Numbers.meanAndInterval(s), Numbers.format(s.p50()), Numbers.format(s.p99()),
                String.valueOf(s.n()), metric.unit(), s.wide() ? "WIDE: spread too large to rely on" : ""};
    }
}
