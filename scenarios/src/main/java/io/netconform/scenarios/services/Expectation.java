package io.netconform.scenarios.services;

import io.netconform.exec.PodRef;
import io.netconform.junit.Scenario;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import org.junit.jupiter.api.DynamicTest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * One whoami request and what it must show: answered by the right pod (and, where it matters, with the client's
 * address preserved), or not answered at all. {@link #checks} probes a list of them in one batch (one exec per
 * source pod, mismatches re-probed until the converge timeout) and turns each into a named check.
 *
 * @param request  the probe, its source and a key that names the check
 * @param answered whether an answer is expected
 * @param right    for an expected answer: what makes it the right one
 * @param rightWhat the same in words, for the failure message ("answered by backend-n1")
 */
record Expectation(ProbeRequest request, boolean answered, Predicate<WhoamiProbe.Answer> right, String rightWhat) {

    static Expectation answeredBy(String key, PodRef from, WhoamiProbe probe, String target, String pod) {
        return new Expectation(new ProbeRequest(key, from, probe, target), true, a -> a.pod().equals(pod),
                "answered by " + pod);
    }

    static Expectation notAnswered(String key, PodRef from, WhoamiProbe probe, String target) {
        return new Expectation(new ProbeRequest(key, from, probe, target), false, a -> false, "no answer");
    }

    Expectation andSeenFrom(String address) {
        return new Expectation(request, true, right.and(a -> a.peer().equals(address)),
                rightWhat + ", which must see the client as " + address);
    }

    static Stream<DynamicTest> checks(Scenario scenario, List<Expectation> expectations) {
        return checks(scenario, expectations, verify(scenario, expectations));
    }

    static Verification verify(Scenario scenario, List<Expectation> expectations) {
        Map<ProbeKey, Boolean> expect = new LinkedHashMap<>();
        expectations.forEach(e -> expect.put(e.request().key(), e.answered()));
        return scenario.prober().verify(expectations.stream().map(Expectation::request).toList(), expect,
                scenario.run().config().convergeTimeout());
    }

    static Stream<DynamicTest> checks(Scenario scenario, List<Expectation> expectations, Verification v) {
        return expectations.stream().map(e -> dynamicTest(e.request().name(),
                () -> e.check(scenario, v.result(e.request().key()))));
    }

    /** Runs {@code checks}; a capability it lacks becomes one skipped check named {@code what}, with the reason. */
    static Stream<DynamicTest> orSkipped(String what, java.util.function.Supplier<Stream<DynamicTest>> checks) {
        try {
            return checks.get();
        } catch (org.opentest4j.TestAbortedException e) {
            return Stream.of(dynamicTest(what, () -> {
                throw e;
            }));
        }
    }

    void check(Scenario scenario, ProbeResult result) {
        Report.parameter("CNI", scenario.cni().name());
        Report.parameter("from", request.source().toString());
        Report.parameter("to", request.target());
        Report.parameter("probe", String.join(" ", request.probe().command()));
        if (!answered) {
            if (result.verdict() == Verdict.ERROR) {
                scenario.expect(result, Verdict.TIMEOUT, request.name(), FailureKind.INFRA);
            }
            if (result.verdict().allowed()) {
                throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_ALLOW, request.key()
                        + ": expected no answer, got " + result.detail()).reproduce(result.reproduce()),
                        List.of(request.source()));
            }
            return;
        }
        scenario.expect(result, Verdict.ALLOWED, request.name(), FailureKind.UNEXPECTED_DROP);
        WhoamiProbe.Answer answer = WhoamiProbe.answer(result.output()).orElseThrow();
        if (!right.test(answer)) {
            throw scenario.failure(CheckFailure.of(FailureKind.SERVICE, request.key() + ": expected " + rightWhat
                    + ", got " + result.detail()).reproduce(result.reproduce()), List.of(request.source()));
        }
    }
}
