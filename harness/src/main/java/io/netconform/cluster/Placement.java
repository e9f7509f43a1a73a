package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which nodes get test pods and which node pairs are probed: one same-node pair (traffic that
 * never leaves the node's bridge) and cross-node pairs (traffic through the overlay or routes,
 * where MTU and encapsulation problems live).
 *
 * <p>The choice is deterministic, so two runs on the same cluster probe the same pairs and their
 * results can be compared. Nodes are sorted by name and the cross-node pairs are edges of the ring
 * n0→n1→…→n(k-1)→n0. When the ring is longer than {@code maxCrossPairs}, disjoint edges
 * (n0→n1, n2→n3, …) are taken first, because they reach every node with the fewest pairs (⌈k/2⌉);
 * the remaining budget then closes the ring. Only when even that is over budget are some nodes left
 * out, and {@link #describe()} says how many.
 */
public final class Placement {

    public static final int DEFAULT_MAX_CROSS_PAIRS = 8;

    private final List<String> nodes;
    private final List<NodePair> pairs;
    private final int schedulable;
    private final Map<String, String> skipped;

    private Placement(List<String> nodes, List<NodePair> pairs, int schedulable, Map<String, String> skipped) {
        this.nodes = List.copyOf(nodes);
        this.pairs = List.copyOf(pairs);
        this.schedulable = schedulable;
        this.skipped = Map.copyOf(skipped);
    }

    public static Placement choose(List<Node> clusterNodes) {
        return choose(clusterNodes, DEFAULT_MAX_CROSS_PAIRS);
    }

    /**
     * @param clusterNodes all nodes as the API lists them; cordoned nodes and nodes with a
     *                     NoSchedule/NoExecute taint (control planes, NotReady nodes) are skipped
     *                     because test pods carry no tolerations
     * @param maxCrossPairs upper bound on cross-node pairs, so a 500-node cluster is sampled, not squared
     */
    public static Placement choose(List<Node> clusterNodes, int maxCrossPairs) {
        Objects.requireNonNull(clusterNodes, "clusterNodes");
        if (maxCrossPairs < 0) {
            throw new IllegalArgumentException("maxCrossPairs must be >= 0, was " + maxCrossPairs);
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        TreeSet<String> usable = new TreeSet<>();
        for (Node node : clusterNodes) {
            String name = node.getMetadata().getName();
            String why = whyUnschedulable(node);
            if (why == null) {
                usable.add(name);
            } else {
                skipped.put(name, why);
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalStateException("no node can run test pods: " + (skipped.isEmpty()
                    ? "the cluster lists no nodes"
                    : skipped.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", ")))
                    + "; test pods carry no tolerations, so uncordon a node or remove its NoSchedule taint");
        }
        List<String> sorted = new ArrayList<>(usable);
        List<NodePair> pairs = new ArrayList<>();
        pairs.add(new NodePair(sorted.get(0), sorted.get(0)));
        pairs.addAll(crossPairs(sorted, maxCrossPairs));
        TreeSet<String> used = new TreeSet<>();
        pairs.forEach(p -> {
            used.add(p.from());
            used.add(p.to());
        });
        return new Placement(new ArrayList<>(used), pairs, sorted.size(), skipped);
    }

    private static List<NodePair> crossPairs(List<String> sorted, int max) {
        int k = sorted.size();
        if (k < 2) {
            return List.of();
        }
        // With two nodes the closing edge n1→n0 would only reverse n0→n1.
        int ringEdges = k == 2 ? 1 : k;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ringEdges; i += 2) {
            order.add(i);
        }
        for (int i = 1; i < ringEdges; i += 2) {
            order.add(i);
        }
        List<Integer> chosen = order.subList(0, Math.min(max, order.size())).stream().sorted().toList();
        return chosen.stream().map(i -> new NodePair(sorted.get(i), sorted.get((i + 1) % k))).toList();
    }

    private static String whyUnschedulable(Node node) {
        if (node.getSpec() == null) {
            return null;
        }
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return "cordoned";
        }
        List<Taint> taints = node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        return taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .map(t -> "taint " + t.getKey() + (t.getValue() == null || t.getValue().isEmpty() ? "" : "=" + t.getValue())
                        + ":" + t.getEffect())
                .findFirst().orElse(null);
    }

    /** The nodes that get test pods: every node that appears in a pair, sorted by name. */
    public List<String> nodes() {
        return nodes;
    }

    /** The same-node pair first, then the cross-node pairs in ring order. */
    public List<NodePair> pairs() {
        return pairs;
    }

    /** Whether any cross-node pair exists; single-node clusters cannot test the overlay. */
    public boolean multiNode() {
        return pairs.stream().anyMatch(p -> !p.sameNode());
    }

    /** Skipped nodes and why, for the run report. */
    public Map<String, String> skipped() {
        return skipped;
    }

    /** e.g. {@code 2 nodes: n1, n2; pairs: n1→n1 (same), n1→n2 (cross)}. */
    public String describe() {
        StringBuilder text = new StringBuilder()
                .append(nodes.size()).append(nodes.size() == 1 ? " node: " : " nodes: ")
                .append(String.join(", ", nodes))
                .append("; pairs: ")
                .append(pairs.stream().map(NodePair::toString).collect(Collectors.joining(", ")));
        if (nodes.size() < schedulable) {
            text.append("; ").append(schedulable - nodes.size()).append(" of ").append(schedulable)
                    .append(" schedulable nodes not probed (raise maxCrossPairs to cover them)");
        }
        if (!skipped.isEmpty()) {
            text.append("; skipped: ").append(skipped.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
