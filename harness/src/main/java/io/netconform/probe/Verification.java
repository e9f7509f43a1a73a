package io.netconform.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The end of a retry-to-deadline verification: the last observation of every key, which ones came to
 * match their expectation, and when the whole set first matched ("policy enforcement latency").
 *
 * @param requests       what was probed, by key
 * @param expectAllowed  the expectation, by key
 * @param observed       the last result of every key
 * @param matchedAt      for keys that match at the end: the start of the round since which they matched
 * @param convergedAfter the start of the first round in which every key matched; empty if that never happened
 * @param rounds         probing rounds run (the first covers every key, later ones only the pending keys)
 * @param execs          execs those rounds cost
 * @param waited         wall time of the whole verification
 */
public record Verification(Map<String, ProbeRequest> requests, Map<String, Boolean> expectAllowed,
                           Map<String, ProbeResult> observed, Map<String, Duration> matchedAt,
                           Optional<Duration> convergedAfter, int rounds, int execs, Duration waited) {

    public Verification {
        requests = Map.copyOf(requests);
        expectAllowed = Map.copyOf(expectAllowed);
        observed = Map.copyOf(observed);
        matchedAt = Map.copyOf(matchedAt);
    }

    /** An ERROR never matches: it is neither allowed nor blocked. */
    static boolean matches(ProbeResult result, boolean expectAllowed) {
        return result.verdict() != Verdict.ERROR && result.verdict().allowed() == expectAllowed;
    }

    public boolean converged() {
        return convergedAfter.isPresent();
    }

    public boolean converged(String key) {
        return matchedAt.containsKey(key);
    }

    /** Keys observed allowed/blocked against the expectation at the deadline (errors excluded). */
    public List<String> mismatches() {
        return observed.entrySet().stream()
                .filter(e -> e.getValue().verdict() != Verdict.ERROR && !converged(e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Keys that could not be observed even after retrying to the deadline. */
    public List<String> errors() {
        return observed.entrySet().stream().filter(e -> e.getValue().verdict() == Verdict.ERROR)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** One block per wrong or unobservable key: expected, got, why, and the command that repeats it. */
    public String describeFailures() {
        return java.util.stream.Stream.concat(mismatches().stream(), errors().stream())
                .map(this::describe).collect(Collectors.joining("\n"));
    }

    private String describe(String key) {
        ProbeRequest request = requests.get(key);
        ProbeResult result = observed.get(key);
        String expected = expectAllowed.get(key) ? "ALLOWED" : "BLOCKED";
        return key + " (" + request.source() + " -> " + request.target() + ")   expected " + expected + ", got "
                + result.verdict() + " (" + result.detail() + ") after " + waited.toMillis() + " ms\n"
                + "  reproduce: " + result.reproduce();
    }
}
