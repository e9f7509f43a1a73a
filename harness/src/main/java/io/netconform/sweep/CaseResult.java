package io.netconform.sweep;

import io.netconform.policy.IpFamily;
import io.netconform.policy.Port;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Reachability;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one sweep case found: its checks in order (the baseline proving the previous case is gone, the policies, the
 * state after the action), each with expected and observed matrices per port.
 */
public record CaseResult(SweepCase sweepCase, List<Step> steps, Duration took, int execs) {

    public CaseResult {
        steps = List.copyOf(steps);
    }

    /**
     * One check: every ordered pair on every probed port, probed until it matched or the converge deadline passed.
     *
     * @param name     "baseline", "policies" or the action ("after relabel pod x/a {tier=db}")
     * @param expected per port, from the oracle
     * @param observed per port; ERROR where the probe could not observe
     * @param family   the IP family probed (the pods' first address)
     */
    public record Step(String name, Map<Port, Reachability> expected, Map<Port, Reachability> observed,
                       PolicyOracle oracle, Verification verification, IpFamily family) {

        public List<ProbedPair> mismatches() {
            return verification.mismatches();
        }

        public List<ProbedPair> errors() {
            return verification.errors();
        }

        public Optional<Duration> convergedAfter() {
            return verification.convergedAfter();
        }

        /** Per port with a wrong pair: the wrong pairs (expected, observed verdict, why, reproduce) and the three grids. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            for (Port port : expected.keySet()) {
                Reachability e = expected.get(port);
                Reachability o = observed.get(port);
                if (e.diff(o).isEmpty()) {
                    continue;
                }
                text.append(Reachability.report(e, o, pair -> oracle.predict(pair.from(), pair.to(), port).why(),
                        pair -> result(pair, port).map(r -> r.verdict() + ": " + r.detail()).orElse(null),
                        pair -> result(pair, port).map(ProbeResult::reproduce).orElse(null))).append('\n');
            }
            if (!errors().isEmpty()) {
                text.append("could not observe ").append(errors().size()).append(" probes (exec or tool errors, not verdicts):\n")
                        .append(verification.describeFailures()).append('\n');
            }
            return text.toString();
        }

        private Optional<ProbeResult> result(Reachability.Pair pair, Port port) {
            return verification.find(new ProbeKey.Pair(pair.from(), pair.to(), port, family)).map(ProbedPair::result);
        }
    }

    public boolean mismatched() {
        return steps.stream().anyMatch(s -> !s.mismatches().isEmpty());
    }

    public boolean broken() {
        return steps.stream().anyMatch(s -> !s.errors().isEmpty());
    }

    public int wrongPairs() {
        return steps.stream().mapToInt(s -> s.mismatches().size()).sum();
    }

    /** The failure text: the case (tags, YAML), then each step that went wrong with its grids and reproduce lines. */
    public String report() {
        StringBuilder text = new StringBuilder();
        text.append(sweepCase.name()).append(": ").append(wrongPairs()).append(" wrong pair/port verdicts in steps ")
                .append(steps.stream().filter(s -> !s.mismatches().isEmpty() || !s.errors().isEmpty()).map(Step::name)
                        .collect(Collectors.joining(", ")))
                .append("\n").append(sweepCase.yaml());
        for (Step s : steps) {
            if (!s.mismatches().isEmpty() || !s.errors().isEmpty()) {
                text.append("\n== ").append(s.name()).append(" (waited ").append(s.verification().waited().toMillis())
                        .append(" ms, ").append(s.verification().rounds()).append(" rounds)\n").append(s.describe());
            }
        }
        return text.toString();
    }
}
