package io.netconform.report;

import io.netconform.InputException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable outcome of one run, written to {@code reports/summary.json}.
 * The schema is versioned ({@link #SCHEMA}) and documented in {@code docs/summary-schema.md};
 * {@code compare} refuses to diff two different versions.
 */
public record Summary(
        String schema,
        String runId,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        String harnessVersion,
        Cluster cluster,
        Map<String, String> cni,
        List<Check> checks,
        List<Matrix> reachability,
        List<Mtu> mtu,
        List<Dns> dns,
        List<Latency> latency,
        JsonNode bench,
        List<NodeChange> nodeEvidence, List<Disruption> disruption) {

    public static final String SCHEMA = "netconform.summary/v1";

    public Summary {
        cni = cni == null ? Map.of() : Map.copyOf(cni);
        checks = copy(checks);
        reachability = copy(reachability);
        mtu = copy(mtu);
        dns = copy(dns);
        latency = copy(latency);
        nodeEvidence = copy(nodeEvidence);
        disruption = copy(disruption);
    }

    public enum Status { PASSED, FAILED, BROKEN, SKIPPED }

    /** {@code server} is scheme, host and port only: never a path, query or user info. */
    public record Cluster(String server, String version, String distribution, int nodes, List<String> ipFamilies) {
        public Cluster {
            server = hostOnly(server);
            ipFamilies = ipFamilies == null ? List.of() : List.copyOf(ipFamilies);
        }

        /** {@code https://user:pw@api.example:6443/k8s?token=x} becomes {@code https://api.example:6443}. */
        static String hostOnly(String server) {
            if (server == null || server.isBlank()) {
                return server;
            }
            try {
                java.net.URI uri = java.net.URI.create(server.trim());
                if (uri.getHost() == null) {
                    return Redactor.MASK;
                }
                return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + uri.getHost()
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            } catch (IllegalArgumentException e) {
                return Redactor.MASK;
            }
        }
    }

    /** One test (one JUnit test method or invocation); {@code id} is stable across runs and keys the baseline diff. */
    public record Check(String id, String suite, String name, Status status, FailureKind kind, String message,
                        long durationMs, Map<String, String> parameters) {
        public Check {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        public boolean failing() {
            return status == Status.FAILED || status == Status.BROKEN;
        }
    }

    /**
     * One reachability matrix: {@code expected[i][j]} / {@code observed[i][j]} for traffic from
     * {@code rows[i]} to {@code cols[j]}, each {@code "."} allowed, {@code "X"} blocked (observed: no answer, a drop),
     * {@code "R"} refused, {@code "E"} could not observe, {@code "?"} not observed, {@code "-"} a pod to itself.
     * Summaries written before R and E existed have {@code "X"} for a reject and {@code "?"} for an error.
     */
    public record Matrix(String suite, String check, int port, String protocol, String ipFamily,
                         List<String> rows, List<String> cols, List<List<String>> expected,
                         List<List<String>> observed, Long convergedMs) {
        public Matrix {
            rows = List.copyOf(rows);
            cols = List.copyOf(cols);
            expected = expected.stream().map(List::copyOf).toList();
            observed = observed.stream().map(List::copyOf).toList();
            if (expected.size() != rows.size() || observed.size() != rows.size()) {
                throw new IllegalArgumentException("matrix " + check + ": " + rows.size() + " rows but expected has "
                        + expected.size() + " and observed " + observed.size());
            }
        }

        /**
         * What a cell says about reachability, as an expectation can: a reject is blocked ({@code "R"} reads {@code "X"})
         * and could-not-observe is not observed ({@code "E"} reads {@code "?"}), so summaries from before those marks
         * compare with newer ones.
         */
        public static String outcome(String cell) {
            return switch (cell) {
                case "R" -> "X";
                case "E" -> "?";
                default -> cell;
            };
        }

        /** Key that identifies "the same matrix" in two runs. */
        public String key() {
            return suite + "/" + check + " " + protocol + "/" + port + " " + ipFamily;
        }
    }

    /** One path-MTU probe between two pods. */
    public record Mtu(String from, String to, boolean sameNode, String ipFamily, int expected, Integer interfaceMtu,
                      Integer pmtu, Integer passSize, boolean passed, String failSizeOutcome) {
        public String key() {
            return from + " -> " + to + " " + ipFamily;
        }
    }

    public record Dns(String query, String type, String transport, String expected, String observed, boolean passed) {
        public String key() {
            return query + " " + type + " over " + transport;
        }
    }

    public record Latency(String path, String metric, double value, String unit) {
        public String key() {
            return path + " " + metric;
        }
    }

    /**
     * A change on a node between two snapshots of {@code --node-evidence}, attributed to {@code phase} (a suite, or
     * "the whole run"); {@code flagged} when it is a finding (a drop or race counter grew, a setting changed).
     */
    public record NodeChange(String node, String phase, String key, String before, String after, long delta,
                             boolean flagged, String meaning) {
        /** Identifies "the same change" in two runs. */
        public String id() {
            return node + " " + key + " during " + phase;
        }
    }

    /**
     * One watched path and check of {@code netconform watch}: how long it was down and how often.
     * {@code connection} is {@code NEW} (a fresh connection or exchange per sample) or {@code REUSED} (one
     * long-lived connection); {@code neverUp} says why a target never worked (null when it did).
     */
    public record Disruption(String path, String check, String connection, String target, String source,
                             long intervalMs, long samples, long failedSamples, long notSampled, double lossPercent,
                             int outages, double downtimeSeconds, double longestOutageSeconds,
                             double maxOutageSeconds, boolean passed, String neverUp, double unobservedSeconds,
                             List<Interval> intervals) {
        public Disruption {
            intervals = copy(intervals);
        }

        public String key() {
            return path + " " + check;
        }
    }

    /** One outage: start and end as the pod measured them, and what the first failed sample said. */
    public record Interval(Instant start, Instant end, double seconds, String failure, String detail,
                           int failedSamples, boolean ongoing) {
    }

    /** Reads a summary; a missing file, broken JSON or another schema version fails with a message naming it. */
    public static Summary read(Path file) {
        String schema = schemaOf(file);
        if (!SCHEMA.equals(schema)) {
            throw new SummaryFormatException(file + ": schema is \"" + schema + "\", this netconform reads \""
                    + SCHEMA + "\" only");
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), Summary.class);
        } catch (IOException e) {
            throw new SummaryFormatException(file + ": not a valid " + SCHEMA + " summary: " + e.getMessage(), e);
        }
    }

    /** The {@code schema} field of a summary file, without binding the rest. */
    public static String schemaOf(Path file) {
        JsonNode root = readJson(file);
        if (!root.path("schema").isTextual()) {
            throw new SummaryFormatException(file + ": no \"schema\" field; expected \"" + SCHEMA + "\"");
        }
        return root.get("schema").asText();
    }

    /**
     * The one reader of summary files as JSON (compare, bench-compare, baselines): a missing file, broken JSON
     * or something other than a JSON object fails naming the file.
     */
    public static JsonNode readJson(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new SummaryFormatException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new SummaryFormatException(file + ": not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SummaryFormatException(file + ": cannot read: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new SummaryFormatException(file + ": not a JSON object; expected a summary such as reports/summary.json");
        }
        return root;
    }

    public void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, Json.writeRedacted(this), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write summary to " + file, e);
        }
    }

    /** A summary file that cannot be used: missing, not JSON, or another schema version. */
    public static final class SummaryFormatException extends InputException {
        SummaryFormatException(String message) {
            super(message);
        }

        SummaryFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
