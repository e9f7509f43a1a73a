package io.netconform.scenarios.services;

import io.netconform.junit.Fleet;
import io.netconform.junit.Scenario;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Summary;
import io.netconform.service.Timeline;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** What clients saw during a rolling restart: every failed request, and the longest gap without an answer. */
final class Rollout {

    private Rollout() {
    }

    static void check(Scenario scenario, Forwarding.Seen seen) {
        CheckFailure failed = CheckFailure.of(FailureKind.UNEXPECTED_DROP, "rolling restart of a Deployment whose pods "
                + "drain for 2 s: expected no failed request, the dataplane kept sending to a removed endpoint or "
                + "missed the new one:");
        seen.timelines().forEach((client, t) -> {
            // connected but no whoami line within the attempt's second: a slow server (a loaded node), not a
            // dataplane error; counted apart so a busy cluster does not read as a broken endpoint removal
            List<Timeline.Attempt> failures = t.failures(seen.zero()).stream()
                    .filter(a -> !a.output().isBlank()).toList();
            long slow = t.failures(seen.zero()).size() - failures.size();
            scenario.run().summary().latency(new Summary.Latency("rolling restart: unanswered (no error) from "
                    + client.node(), "slow", slow, "count"));
            Duration outage = t.longestOutage(seen.zero());
            scenario.run().summary().latency(new Summary.Latency("rolling restart: failed requests from "
                    + client.node(), "errors", failures.size(), "count"));
            scenario.run().summary().latency(new Summary.Latency("rolling restart: longest outage from "
                    + client.node(), "outage", outage.toMillis(), "ms"));
            if (t.count(seen.zero()) == 0) {
                failed.item(client + ": sent nothing after the restart began", t.reproduce());
            } else if (!failures.isEmpty()) {
                failed.item(client + ": " + failures.size() + " of " + t.count(seen.zero())
                        + " requests failed, longest outage " + outage.toMillis() + " ms; first: "
                        + failures.stream().limit(3).map(a -> String.format("%+.1f s %s",
                                Duration.between(seen.zero(), a.at()).toMillis() / 1000.0, a.output()))
                                .collect(Collectors.joining("; ")), t.reproduce());
            }
        });
        if (!failed.text().items().isEmpty()) {
            throw scenario.failure(failed, seen.timelines().keySet().stream().map(Fleet.Member::ref).toList());
        }
    }
}
