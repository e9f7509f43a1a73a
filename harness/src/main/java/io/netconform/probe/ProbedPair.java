package io.netconform.probe;

import io.netconform.policy.Reachability;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One probed pair at the end of a verification: what was probed (the request and its key: source, target, port and
 * family for a pod pair), what was expected, the last observation (verdict, detail, reproduce line) and since when it
 * has matched. One record instead of parallel maps, so a pair's parts cannot drift apart.
 *
 * @param request       what was probed
 * @param expectAllowed whether the traffic should get through
 * @param result        the last observation
 * @param matchedAt     the start of the round since which the observation has matched; empty when it does not match
 */
public record ProbedPair(ProbeRequest request, boolean expectAllowed, ProbeResult result, Optional<Duration> matchedAt) {

    public ProbedPair {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(matchedAt, "matchedAt");
    }

    /** An ERROR never matches: it is neither allowed nor blocked. A REFUSED matches an expected block as a TIMEOUT does. */
    public static boolean matches(ProbeResult result, boolean expectAllowed) {
        return result.verdict() != Verdict.ERROR && result.verdict().allowed() == expectAllowed;
    }

    public ProbeKey key() {
        return request.key();
    }

    public String name() {
        return request.name();
    }

    /** The pod pair, port and family, when this is a cell of a reachability grid. */
    public Optional<ProbeKey.Pair> pair() {
        return request.key() instanceof ProbeKey.Pair p ? Optional.of(p) : Optional.empty();
    }

    public Verdict verdict() {
        return result.verdict();
    }

    public boolean converged() {
        return matchedAt.isPresent();
    }

    /** Could not be observed (exec or tool error), not a network verdict. */
    public boolean error() {
        return result.verdict() == Verdict.ERROR;
    }

    /** Observed, and not what was expected at the end. */
    public boolean mismatch() {
        return !error() && !converged();
    }

    /**
     * The observation as a grid cell: {@code .} ALLOWED, {@code X} a drop (TIMEOUT), {@code R} REFUSED, {@code E} could
     * not observe. Kept apart because a drop and a reject call for different fixes, and a broken probe for none.
     */
    public Reachability.State observed() {
        return switch (result.verdict()) {
            case ALLOWED -> Reachability.State.ALLOWED;
            case TIMEOUT -> Reachability.State.BLOCKED;
            case REFUSED -> Reachability.State.REFUSED;
            case ERROR -> Reachability.State.ERROR;
        };
    }

    /** Expected, got, why, and the command that repeats it; {@code waited} is the whole verification's. */
    String describe(Duration waited) {
        return outcome(waited) + "\n  reproduce: " + result.reproduce();
    }

    /** Which pair, expected what, got what and after how long: describe's first line, without the command. */
    String outcome(Duration waited) {
        return name() + " (" + request.source() + " -> " + request.target() + ")   expected "
                + (expectAllowed ? "ALLOWED" : "BLOCKED") + ", got " + result.verdict() + " (" + result.detail()
                + ") after " + waited.toMillis() + " ms";
    }
}
