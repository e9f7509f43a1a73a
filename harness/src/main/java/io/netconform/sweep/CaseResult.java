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
     * @param name         "baseline", "policies" or the action ("after relabel pod x/a {tier=db}")
     * @param expected     per port and IP family, from that family's oracle
     * @param observed     per port and IP family; E where the probe could not observe
     * @param oracles      per IP family: the oracle over that family's addresses (it explains why a pair was expected)
     * @param verification every pair of every port and family
     */
    public record Step(String name, Map<Grid, Reachability> expected, Map<Grid, Reachability> observed,
                       Map<IpFamily, PolicyOracle> oracles, Verification verification) {

        /** One grid of a step: a port, over one IP family. */
        public record Grid(Port port, IpFamily family) {
            /** The port alone on IPv4 (as the sweep always named its grids), with the family otherwise. */
            @Override
            public String toString() {
                return family == IpFamily.IPV4 ? port.toString() : port + " " + family;
            }
        }

        public List<ProbedPair> mismatches() {
            return verification.mismatches();
        }

        public List<ProbedPair> errors() {
            return verification.errors();
        }

        public Optional<Duration> convergedAfter() {
            return verification.convergedAfter();
        }

        /** Per grid with a wrong pair: the wrong pairs (expected, observed verdict, why, reproduce) and the three grids. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            for (Grid grid : expected.keySet()) {
                Reachability e = expected.get(grid);
                Reachability o = observed.get(grid);
                if (e.diff(o).isEmpty()) {
                    continue;
                }
                PolicyOracle oracle = oracles.get(grid.family());
                text.append(grid.family() == IpFamily.IPV4 ? "" : grid.family() + ": ")
                        .append(Reachability.report(e, o, pair -> oracle.predict(pair.from(), pair.to(), grid.port()).why(),
                        pair -> result(pair, grid).map(r -> r.verdict() + ": " + r.detail()).orElse(null),
                        pair -> result(pair, grid).map(ProbeResult::reproduce).orElse(null))).append('\n');
            }
            if (!errors().isEmpty()) {
                text.append("could not observe ").append(errors().size()).append(" probes (exec or tool errors, not verdicts):\n")
                        .append(verification.describeFailures()).append('\n');
            }
            return text.toString();
        }

        private Optional<ProbeResult> result(Reachability.Pair pair, Grid grid) {
            return verification.find(new ProbeKey.Pair(pair.from(), pair.to(), grid.port(), grid.family()))
                    .map(ProbedPair::result);
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
