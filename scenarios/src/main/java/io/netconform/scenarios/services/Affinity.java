package io.netconform.scenarios.services;

import io.netconform.exec.ExecResult;
import io.netconform.junit.Fleet;
import io.netconform.junit.Scenario;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Session affinity ClientIP: every request of one client lands on the same backend. */
final class Affinity {

    private Affinity() {
    }

    /** How long the client's node may take to forward to the Service at all before the affinity requests start. */
    static final Duration FORWARDING = Duration.ofSeconds(30);

    /** {@code n} requests in one exec; all must be answered, all by one pod. */
    static void check(Scenario scenario, Fleet.Member client, WhoamiProbe probe, int n) {
        // Endpoints in the API are not yet rules on the node: until kube-proxy has synced them, the ClusterIP of a Service
        // without programmed endpoints is rejected ("Network is unreachable"), which says nothing about affinity. Seen
        // on the lab: the first 2 of 10 requests refused, the other 8 all from one backend. So: first forwarded at all.
        ProbeResult first = probe.runUntil(scenario.run().executor(), client.ref(), FORWARDING,
                r -> r.verdict() == Verdict.ALLOWED);
        if (first.verdict() != Verdict.ALLOWED) {
            throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_DROP, "the Service did not answer " + client
                    + " within " + FORWARDING.toSeconds() + " s of having two ready endpoints: " + first)
                    .reproduce(first.reproduce()).output(first.output()), List.of(client.ref()));
        }
        List<String> command = List.of("sh", "-c", "for i in $(seq " + n + "); do " + probe.socatLine() + " 2>&1; done");
        String reproduce = client.ref().kubectlExec(command);
        Report.parameter("from", client.toString());
        Report.parameter("probe", reproduce);
        ExecResult r = scenario.run().executor().exec(client.ref(), command,
                probe.budget().multipliedBy(n).plus(Duration.ofSeconds(10)));
        if (!r.completed()) {
            throw scenario.broken(BrokenCheck.of(n + " requests from " + client + ": " + r).reproduce(reproduce),
                    List.of(client.ref()));
        }
        List<Optional<WhoamiProbe.Answer>> answers = r.stdout().lines().filter(l -> !l.isBlank())
                .map(WhoamiProbe::answer).toList();
        Map<String, Long> byPod = answers.stream().map(a -> a.map(WhoamiProbe.Answer::pod).orElse("(no answer)"))
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        long answered = answers.stream().filter(Optional::isPresent).count();
        if (answered < n) {
            throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_DROP, (n - answered) + " of " + n
                    + " requests from " + client + " were not answered: " + byPod).reproduce(reproduce).output(r.output()),
                    List.of(client.ref()));
        }
        if (byPod.size() != 1) {
            throw scenario.failure(CheckFailure.of(FailureKind.SERVICE, "sessionAffinity ClientIP: " + n + " requests from "
                    + client + " should all reach one backend, got " + byPod).reproduce(reproduce), List.of(client.ref()));
        }
    }
}
