package io.netconform.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Who can reach whom on one port: one type for what a case expects, what the oracle predicts and what
 * the probes observed. Rows are sources, columns destinations, in topology order; traffic from a pod
 * to itself is not part of it.
 *
 * <p>Mutable and fluent, so a case starts from "all allowed" and lists the exceptions, and a prober
 * fills cells as results arrive; {@link #copy()} before handing one out to be edited.
 *
 * <p>Patterns name pods as {@code "ns/pod"}, {@code "ns/*"}, {@code "*&#47;pod"} or {@code "*"}; a pattern
 * that matches no pod is an error (it is a typo, and would silently expect nothing).
 */
public final class Reachability {

    /**
     * One cell. An expectation is ALLOWED or BLOCKED; an observation tells more, because a drop, a reject and a probe
     * that could not observe call for different fixes (policy-assistant keeps a mark for a failed check too): BLOCKED
     * is then no answer (TIMEOUT, a drop), REFUSED an active reject, ERROR a probe that could not observe. UNKNOWN: not
     * probed (yet).
     */
    public enum State {
        ALLOWED('.'), BLOCKED('X'), REFUSED('R'), ERROR('E'), UNKNOWN('?');

        /** How an observed grid reads: printed under every grid that can hold observations. */
        public static final String LEGEND = ". allowed, X no answer (dropped), R refused, E could not observe";

        private final char symbol;

        State(char symbol) {
            this.symbol = symbol;
        }

        public char symbol() {
            return symbol;
        }

        /**
         * What an expectation can say about this cell: a REFUSED is as blocked as a drop (NetworkPolicy does not say
         * how traffic is denied; {@code verifyDropped} checks that where a case needs it).
         */
        public State outcome() {
            return this == REFUSED ? BLOCKED : this;
        }
    }

    /** An ordered pair of distinct pods. */
    public record Pair(PodId from, PodId to) {
        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    private final Topology topology;
    private final Port port;
    private final List<PodId> pods;
    private final Map<PodId, Integer> index;
    private final State[] cells;

    private Reachability(Topology topology, Port port, State initial) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.port = port;
        this.pods = topology.podIds();
        this.index = new HashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            index.put(pods.get(i), i);
        }
        this.cells = new State[pods.size() * pods.size()];
        Arrays.fill(cells, initial);
    }

    private Reachability(Reachability other) {
        this.topology = other.topology;
        this.port = other.port;
        this.pods = other.pods;
        this.index = other.index;
        this.cells = other.cells.clone();
    }

    public static Reachability allAllowed(Topology topology, Port port) {
        return new Reachability(topology, port, State.ALLOWED);
    }

    public static Reachability allBlocked(Topology topology, Port port) {
        return new Reachability(topology, port, State.BLOCKED);
    }

    /** Nothing observed yet: the starting point for observations. */
    public static Reachability unknown(Topology topology, Port port) {
        return new Reachability(topology, port, State.UNKNOWN);
    }

    /** Without a port, for cases that state the port when they verify. */
    public static Reachability allAllowed(Topology topology) {
        return allAllowed(topology, null);
    }

    public static Reachability allBlocked(Topology topology) {
        return allBlocked(topology, null);
    }

    public Topology topology() {
        return topology;
    }

    /** The port this matrix is about; null when it was left to the caller. */
    public Port port() {
        return port;
    }

    public Reachability copy() {
        return new Reachability(this);
    }

    /** Every pair into pods matching {@code to} is blocked (they are isolated for ingress). */
    public Reachability denyIngressTo(String to) {
        return set("*", to, State.BLOCKED);
    }

    /** Every pair out of pods matching {@code from} is blocked (they are isolated for egress). */
    public Reachability denyEgressFrom(String from) {
        return set(from, "*", State.BLOCKED);
    }

    public Reachability allowIngressTo(String to) {
        return set("*", to, State.ALLOWED);
    }

    public Reachability allowEgressFrom(String from) {
        return set(from, "*", State.ALLOWED);
    }

    public Reachability deny(String from, String to) {
        return set(from, to, State.BLOCKED);
    }

    public Reachability allow(String from, String to) {
        return set(from, to, State.ALLOWED);
    }

    /** Sets every pair of distinct pods matching the two patterns. */
    public Reachability set(String fromPattern, String toPattern, State state) {
        Objects.requireNonNull(state, "state");
        List<Integer> froms = match(fromPattern);
        List<Integer> tos = match(toPattern);
        for (int f : froms) {
            for (int t : tos) {
                if (f != t) {
                    cells[f * pods.size() + t] = state;
                }
            }
        }
        return this;
    }

    public Reachability set(PodId from, PodId to, State state) {
        cells[cell(from, to)] = Objects.requireNonNull(state, "state");
        return this;
    }

    public State get(PodId from, PodId to) {
        return cells[cell(from, to)];
    }

    public State get(String from, String to) {
        return get(PodId.of(from), PodId.of(to));
    }

    void setAt(int from, int to, State state) {
        cells[from * pods.size() + to] = state;
    }

    /** All ordered pairs of distinct pods, rows first. */
    public List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (PodId from : pods) {
            for (PodId to : pods) {
                if (!from.equals(to)) {
                    pairs.add(new Pair(from, to));
                }
            }
        }
        return pairs;
    }

    /**
     * The pairs whose {@linkplain State#outcome outcome} differs from {@code other}'s: REFUSED against BLOCKED agrees;
     * an ERROR or UNKNOWN against a known state differs.
     */
    public List<Pair> diff(Reachability other) {
        requireSamePods(other);
        List<Pair> wrong = new ArrayList<>();
        int n = pods.size();
        for (int f = 0; f < n; f++) {
            for (int t = 0; t < n; t++) {
                if (f != t && cells[f * n + t].outcome() != other.cells[f * n + t].outcome()) {
                    wrong.add(new Pair(pods.get(f), pods.get(t)));
                }
            }
        }
        return wrong;
    }

    /**
     * The grid: rows = from, columns = to; {@code .} allowed, {@code X} blocked (observed: no answer), {@code R} refused,
     * {@code E} could not observe, {@code ?} unknown, {@code -} self.
     */
    public String render() {
        return grid((f, t) -> cells[f * pods.size() + t].symbol());
    }

    /** The comparison grid against {@code other}: {@code .} agree, {@code X} disagree (as {@link #diff}), {@code -} self. */
    public String renderComparison(Reachability other) {
        requireSamePods(other);
        int n = pods.size();
        return grid((f, t) -> cells[f * n + t].outcome() == other.cells[f * n + t].outcome() ? '.' : 'X');
    }

    /**
     * The failure text for a verification: a header, one block per wrong pair (what was expected, what was
     * seen, why it was expected, how to reproduce), then the expected, observed and comparison grids.
     * The functions may return null to leave their line out.
     *
     * @param why       why the expected state was expected (e.g. the oracle's explanation)
     * @param detail    what the observation was (e.g. "timeout after 1.0s"), shown after the observed state
     * @param reproduce the command that repeats the probe
     */
    public static String report(Reachability expected, Reachability observed, Function<Pair, String> why,
                                Function<Pair, String> detail, Function<Pair, String> reproduce) {
        List<Pair> wrong = expected.diff(observed);
        Port port = expected.port != null ? expected.port : observed.port;
        StringBuilder text = new StringBuilder();
        text.append(wrong.size()).append(" of ").append(expected.pairs().size()).append(" pairs wrong")
                .append(port == null ? "" : " on " + port).append('\n');
        int width = wrong.stream().mapToInt(p -> p.toString().length()).max().orElse(0);
        for (Pair pair : wrong) {
            String seen = detail == null ? null : detail.apply(pair);
            text.append(String.format("%-" + width + "s   expected %s, got %s%s%n", pair, expected.get(pair.from(), pair.to()),
                    observed.get(pair.from(), pair.to()), seen == null ? "" : " (" + seen + ")"));
            appendLine(text, "  why expected: ", why == null ? null : why.apply(pair));
            appendLine(text, "  reproduce:    ", reproduce == null ? null : reproduce.apply(pair));
        }
        text.append("\nexpected:\n").append(expected.render())
                .append("\nobserved (").append(State.LEGEND).append("):\n").append(observed.render())
                .append("\ncomparison (. agree, X disagree):\n").append(expected.renderComparison(observed));
        return text.toString();
    }

    public static String report(Reachability expected, Reachability observed, Function<Pair, String> why,
                                Function<Pair, String> reproduce) {
        return report(expected, observed, why, null, reproduce);
    }

    private static void appendLine(StringBuilder text, String label, String value) {
        if (value != null && !value.isBlank()) {
            text.append(label).append(value).append('\n');
        }
    }

    private interface CellSymbol {
        char at(int from, int to);
    }

    private String grid(CellSymbol symbol) {
        int width = pods.stream().mapToInt(p -> p.toString().length()).max().orElse(1);
        String corner = port == null ? "" : port.toString();
        int first = Math.max(width, corner.length());
        StringBuilder text = new StringBuilder();
        StringBuilder row = new StringBuilder(pad(corner, first));
        for (PodId to : pods) {
            row.append(' ').append(to);
        }
        text.append(row.toString().stripTrailing()).append('\n');
        for (int f = 0; f < pods.size(); f++) {
            row.setLength(0);
            row.append(pad(pods.get(f).toString(), first));
            for (int t = 0; t < pods.size(); t++) {
                // each column as wide as its header, so the symbol sits under the pod's name
                row.append(' ').append(pad(String.valueOf(f == t ? '-' : symbol.at(f, t)), pods.get(t).toString().length()));
            }
            text.append(row.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private List<Integer> match(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        String nsPart;
        String podPart;
        if (p.equals("*")) {
            nsPart = "*";
            podPart = "*";
        } else {
            int slash = p.indexOf('/');
            if (slash <= 0 || slash == p.length() - 1) {
                throw new IllegalArgumentException("pattern '" + pattern + "' is not ns/pod, ns/*, */pod or *");
            }
            nsPart = p.substring(0, slash);
            podPart = p.substring(slash + 1);
        }
        List<Integer> matched = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            PodId id = pods.get(i);
            if ((nsPart.equals("*") || nsPart.equals(id.namespace())) && (podPart.equals("*") || podPart.equals(id.name()))) {
                matched.add(i);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("pattern '" + pattern + "' matches no pod of " + pods);
        }
        return matched;
    }

    private int cell(PodId from, PodId to) {
        int f = index.getOrDefault(from, -1);
        int t = index.getOrDefault(to, -1);
        if (f < 0 || t < 0) {
            throw new IllegalArgumentException("pair " + from + " -> " + to + " is not in the topology " + pods);
        }
        if (f == t) {
            throw new IllegalArgumentException("traffic from " + from + " to itself is excluded from verdicts");
        }
        return f * pods.size() + t;
    }

    private void requireSamePods(Reachability other) {
        if (!pods.equals(other.pods)) {
            throw new IllegalArgumentException("cannot compare matrices over different pods: " + pods + " vs " + other.pods);
        }
        if (port != null && other.port != null && !port.sameTraffic(other.port)) {
            throw new IllegalArgumentException("cannot compare matrices for different ports: " + port + " vs " + other.port);
        }
    }

    @Override
    public String toString() {
        return render();
    }
}
