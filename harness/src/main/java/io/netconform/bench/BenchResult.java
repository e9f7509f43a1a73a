package io.netconform.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netconform.report.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The benchmark figures of one cluster, as written to {@code reports/bench/<cluster>-<timestamp>.json}.
 * The schema is documented in {@code docs/bench-schema.md}; {@link #SCHEMA} changes with any change a
 * v1 reader could misread.
 *
 * @param policyEnforcementLatencyMs  a default-deny applied → the first probe that sees it drop; null if not measured (files
 *                                    written before policyRemovalLatencyMs existed mixed both directions here)
 * @param podStartToNetworkReadyMs    time from pod creation to its first successful probe; measured by the cluster package, null if not
 * @param missing                     rows that were not measured, each with the reason (e.g. cross-node on a single-node cluster)
 * @param policyRevocationLatencyMs   new connections blocked by a deny → a TCP connection open before it stops; null when
 *                                    open connections survive the deny (then {@code missing} says so) or not measured
 * @param policyRemovalLatencyMs      the deny removed → the first probe answered again; apart from enforcement because
 *                                    datapaths differ (upstream's kube-network-policies: ~0.3 s one way, ~2.3 s the other);
 *                                    null if not measured or in older files
 */
public record BenchResult(String schema, ClusterFacts cluster, Map<String, String> cni, Instant timestamp,
                          BenchSettings settings, List<PathResult> paths, List<HostRatio> hostNetworkRatios,
                          Stats policyEnforcementLatencyMs, Stats podStartToNetworkReadyMs, List<Missing> missing,
                          Stats policyRevocationLatencyMs, Stats policyRemovalLatencyMs) {

    public static final String SCHEMA = "netconform.bench/v1";
    static final String SCHEMA_FAMILY = "netconform.bench/";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What the comparison needs to know about the cluster to label and interpret its column. */
    public record ClusterFacts(String name, String kubernetesVersion, String distribution, int nodeCount) {
        public ClusterFacts {
            Objects.requireNonNull(name, "cluster name");
        }
    }

    /**
     * Pod-network TCP throughput against host-network TCP throughput on the same placement and family.
     * {@code verdict} is PASS when {@code ratio >= 1 - tolerance}, FAIL below, INCONCLUSIVE when either
     * figure failed or is wide (a ratio of two noisy means proves nothing).
     */
    public record HostRatio(BenchPath.Placement placement, BenchPath.IpFamily ipFamily, Double podMbps, Double hostMbps,
                            Double ratio, double tolerance, String verdict, String reason) {
    }

    /** A row that has no figure, and why. */
    public record Missing(String what, String reason) {
    }

    public BenchResult {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(cluster, "cluster");
        // sorted: the same profile always serialises the same way, so result files diff cleanly
        cni = cni == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(cni));
        paths = paths == null ? List.of() : List.copyOf(paths);
        hostNetworkRatios = hostNetworkRatios == null ? List.of() : List.copyOf(hostNetworkRatios);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /** {@code <cluster> (<cni name> <cni version>)}: the column heading of a comparison. */
    public String label() {
        String cniName = cni.getOrDefault("name", "unknown CNI");
        String version = cni.get("version");
        return cluster.name() + " (" + cniName + (version == null || version.isBlank() ? "" : " " + version) + ")";
    }

    public Optional<Figure> figure(String pathKey, Metric metric) {
        return paths.stream().filter(p -> p.path().key().equals(pathKey)).findFirst().flatMap(p -> p.figure(metric));
    }

    /** Writes {@code <dir>/<cluster>-<yyyyMMddTHHmmssZ>.json} and returns that file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String safeName = cluster.name().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve(safeName + "-" + FILE_TIME.format(timestamp) + ".json");
        Json.MAPPER.writeValue(file.toFile(), this);
        return file;
    }

    /**
     * Reads a result file. Any {@code netconform.bench/*} schema is read (unknown fields ignored), so a
     * caller can report mixed versions by name; anything else is rejected as not a bench result.
     */
    public static BenchResult read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BenchInputException("bench result " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new BenchInputException(file + " is not a bench result: not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new BenchInputException("cannot read bench result " + file + ": " + e, e);
        }
        String schema = root == null ? null : root.path("schema").asText(null);
        if (schema == null || !schema.startsWith(SCHEMA_FAMILY)) {
            throw new BenchInputException(file + " is not a bench result: expected \"schema\": \"" + SCHEMA
                    + "\", found " + (schema == null ? "no schema field" : "\"" + schema + "\""));
        }
        try {
            return Json.MAPPER.treeToValue(root, BenchResult.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BenchInputException(file + " claims schema " + schema + " but does not match it: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }
}
