package io.netconform.generated;

import io.netconform.junit.Capability;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Requires;
import io.netconform.junit.Run;
import io.netconform.policy.Reachability;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.sweep.CaseResult;
import io.netconform.sweep.PolicyKind;
import io.netconform.sweep.Sweep;
import io.netconform.sweep.SweepCase;
import io.netconform.sweep.SweepRunner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * {@code netconform sweep}: generated NetworkPolicy (and, with {@code --kinds}, ClusterNetworkPolicy) cases, one dynamic test each, on one deployment of the x/y/z model.
 * Outside {@code io.netconform.scenarios}, so {@code netconform run} never picks it up; the sweep command selects it.
 */
@ConformanceSuite
@Tag("sweep")
@Requires(Capability.NETWORK_POLICY)
@DisplayName("sweep")
class PolicySweep {

    @TestFactory
    @DisplayName("generated policy cases")
    Stream<DynamicTest> generatedCases(Run run) {
        Sweep sweep = Sweep.find(run.id()).orElseThrow(() -> new IllegalStateException(
                "no sweep registered for run " + run.id() + ": start it with `netconform sweep`"));
        SweepRunner runner = Report.step("deploy the x/y/z model", () -> SweepRunner.deploy(run, sweep.settings().confirm()));
        runner.capabilities().limits(run.cluster().kubernetesVersion()).forEach(line -> run.say("sweep: " + line));
        List<SweepCase> cases = sweep.cases(runner.model(), runner.capabilities());
        run.say("sweep: seed " + sweep.settings().seed() + ", " + cases.size() + " cases"
                + (sweep.settings().clusterPolicies() ? " (--kinds " + PolicyKind.describe(sweep.settings().kinds()) + ")" : "") + " on "
                + runner.deployment().namespaces().values() + " (model deployed once)");
        // JUnit closes the stream when the cases are done (the agents themselves end with the run)
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                c.name() + "/" + cases.size() + " " + String.join(",", c.tags()), () -> runCase(run, sweep, runner, c)))
                .onClose(() -> run.say("sweep: " + runner.agentBatches() + " rounds of a pod's probes went through its"
                        + " resident agent (one exec per pod, kept open); " + runner.execs() + " execs"));
    }

    private static void runCase(Run run, Sweep sweep, SweepRunner runner, SweepCase c) {
        Report.parameter("tags", String.join(", ", c.tags()));
        Report.attachYaml(c.name() + ".yaml", c.yaml());
        CaseResult result = runner.run(c);
        sweep.record(result);
        for (CaseResult.Step step : result.steps()) {
            step.expected().forEach((grid, expected) -> Report.attachText(step.name() + " " + grid,
                    "expected:\n" + expected.render() + "\nobserved (" + Reachability.State.LEGEND + "):\n"
                            + step.observed().get(grid).render()));
        }
        if (result.mismatched() || result.broken()) {
            // in full as it happens: the policies, the grids, why each wrong pair was expected, how to repeat it
            run.say("✗ " + result.report());
        }
        if (result.sweepCase().number() % 10 == 0 || result.mismatched() || result.broken()) {
            run.say(sweep.progress());
        }
        if (result.mismatched()) {
            boolean unexpectedAllow = result.steps().stream().flatMap(s -> s.mismatches().stream())
                    .anyMatch(p -> !p.expectAllowed());
            // the sweep's report carries its grids and a reproduce line per wrong pair (sweep/ renders it)
            throw CheckFailure.of(unexpectedAllow ? FailureKind.UNEXPECTED_ALLOW : FailureKind.UNEXPECTED_DROP,
                    result.report());
        }
        if (result.broken()) {
            // probes that could not observe: BROKEN, never a verdict on the policy (the sweep's evidence is its report)
            throw BrokenCheck.of(result.report());
        }
    }
}
