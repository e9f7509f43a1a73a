package io.netconform.probe;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The end of a retry-to-deadline verification: every probed pair with its expectation, last observation and since
 * when it matched, and when the whole set first matched ("policy enforcement latency").
 *
 * @param pairs          every probed pair, in request order; keys unique
 * @param convergedAfter the start of the first round in which every pair matched; empty if that never happened
 * @param rounds         probing rounds run (the first covers every pair, later ones only the pending pairs)
 * @param execs          execs those rounds cost
 * @param waited         wall time of the whole verification
 */
public record Verification(List<ProbedPair> pairs, Optional<Duration> convergedAfter, int rounds, int execs,
                           Duration waited) {

    public Verification {
        pairs = List.copyOf(pairs);
        Set<ProbeKey> seen = new HashSet<>();
        for (ProbedPair p : pairs) {
            if (!seen.add(p.key())) {
                throw new IllegalArgumentException("probe key " + p.key() + " appears twice; keys must be unique");
            }
        }
    }

    /** The pair probed under this key, if one was. */
    public Optional<ProbedPair> find(ProbeKey key) {
        return pairs.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /** The pair probed under this key; asking for one never probed is a caller's bug. */
    public ProbedPair pair(ProbeKey key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException("nothing was probed under " + key));
    }

    /** The last observation of the probe under this key. */
    public ProbeResult result(ProbeKey key) {
        return pair(key).result();
    }

    public boolean converged() {
        return convergedAfter.isPresent();
    }

    /** Pairs observed allowed/blocked against the expectation at the deadline (errors excluded), by name. */
    public List<ProbedPair> mismatches() {
        return byName(pairs.stream().filter(ProbedPair::mismatch));
    }

    /** Pairs that could not be observed even after retrying to the deadline, by name. */
    public List<ProbedPair> errors() {
        return byName(pairs.stream().filter(ProbedPair::error));
    }

    /** One block per wrong or unobservable pair: expected, got, why, and the command that repeats it. */
    public String describeFailures() {
        return failures().map(p -> p.describe(waited)).collect(Collectors.joining("\n"));
    }

    /**
     * The same pairs as {@link #describeFailures()}, each handed over as (what, reproduce): a failure's items, so the
     * failure text renders the command under its pair as it does for every other check.
     */
    public void forEachFailure(BiConsumer<String, String> item) {
        failures().forEach(p -> item.accept(p.outcome(waited), p.result().reproduce()));
    }

    private Stream<ProbedPair> failures() {
        return Stream.concat(mismatches().stream(), errors().stream());
    }

    private static List<ProbedPair> byName(Stream<ProbedPair> pairs) {
        return pairs.sorted(Comparator.comparing(ProbedPair::name)).toList();
    }
}
