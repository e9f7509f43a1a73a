package io.netconform.scenarios.services;

import io.netconform.exec.PodRef;
import io.netconform.junit.Fleet;
import io.netconform.junit.Scenario;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.report.Summary;
import io.netconform.service.ClientLoops;
import io.netconform.service.Timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Clients on every node sending while the cluster changes, and what they saw: the time until each of them is
 * answered by the pod it waits for, or the requests that failed. Figures go into summary.json as latencies, so
 * {@code compare}/{@code --baseline} flag a slower dataplane after an upgrade.
 */
final class Forwarding {

    /** One second per attempt at most: the loops' resolution, whatever --probe-timeout says. */
    static final Duration ATTEMPT = Duration.ofSeconds(1);

    private Forwarding() {
    }

    /** What the clients saw, from {@code zero} (the moment of the change) on. */
    record Seen(Instant zero, Map<Fleet.Member, Timeline> timelines) {
    }

    /**
     * Starts a loop on every client, waits until each has shown {@code readyWhen}, makes the change (which returns
     * the instant the clock starts from), and lets the loops run until each saw {@code stopWhen} or {@code seconds}.
     * {@code during} runs after the change, while the loops still send (e.g. waiting for a rollout), then the loops
     * are told to stop.
     */
    static Seen watch(Scenario scenario, List<Fleet.Member> clients, Function<Fleet.Member, WhoamiProbe> probe,
                      int seconds, String readyWhen, String stopWhen, Supplier<Instant> change, Runnable during) {
        Map<PodRef, Fleet.Member> byRef = new LinkedHashMap<>();
        clients.forEach(c -> byRef.put(c.ref(), c));
        try (ClientLoops loops = ClientLoops.start(scenario.run().executor(), List.copyOf(byRef.keySet()),
                ref -> probe.apply(byRef.get(ref)), seconds, readyWhen, stopWhen)) {
            loops.awaitRunning(Duration.ofSeconds(30));
            Instant zero = change.get();
            during.run();
            if (stopWhen == null) {
                loops.stop();
            }
            Map<Fleet.Member, Timeline> timelines = new LinkedHashMap<>();
            loops.finish().forEach((ref, t) -> timelines.put(byRef.get(ref), t));
            Report.attachText("what the clients saw (s from the change; clock offsets "
                    + byRef.keySet().stream().map(r -> r.pod() + " " + loops.clockOffset(r).toMillis() + " ms")
                    .collect(Collectors.joining(", ")) + ")", timelines.values().stream()
                    .map(t -> t.describe(zero)).collect(Collectors.joining("\n")));
            return new Seen(zero, timelines);
        }
    }

    /**
     * Per client: the time from the change until it was first answered by {@code pod}, recorded as
     * {@code <what> on <node>}; fails naming every client that never was, with its timeline's reproduce line.
     */
    static Map<Fleet.Member, Duration> untilAnsweredBy(Scenario scenario, Seen seen, String pod, String what,
                                                        Duration bound) {
        Map<Fleet.Member, Duration> latency = new LinkedHashMap<>();
        CheckFailure missing = CheckFailure.of(FailureKind.UNEXPECTED_DROP, what + ":");
        // searched from the loop's start, not from zero: "endpoint ready" is the moment the harness SAW the pod ready,
        // and a node may forward to it before that (seen on the lab: the client's loop was answered by the new pod and
        // ended before zero, and the check read "never answered"); such a client forwarded within 0 ms of zero
        seen.timelines().forEach((client, t) -> t.first(Instant.EPOCH, a -> a.answeredBy(pod)).ifPresentOrElse(
                a -> latency.put(client, a.at().isBefore(seen.zero()) ? Duration.ZERO : Duration.between(seen.zero(), a.at())),
                () -> missing.item(client + ": never answered by " + pod + " in " + t.count(seen.zero())
                        + " attempts; last: " + (t.attempts().isEmpty() ? "none"
                        : t.attempts().get(t.attempts().size() - 1).output()), t.reproduce())));
        latency.forEach((client, d) -> {
            scenario.run().summary().latency(new Summary.Latency(what + " on " + client.node(), "latency",
                    d.toMillis(), "ms"));
            Report.parameter(what + " on " + client.node(), d.toMillis() + " ms");
        });
        if (!missing.text().items().isEmpty()) {
            throw scenario.failure(missing, seen.timelines().keySet().stream().map(Fleet.Member::ref).toList());
        }
        List<String> slow = latency.entrySet().stream().filter(e -> e.getValue().compareTo(bound) > 0)
                .map(e -> e.getKey() + " after " + e.getValue().toMillis() + " ms").toList();
        if (!slow.isEmpty()) {
            throw scenario.failure(CheckFailure.of(FailureKind.SERVICE, what + ": expected within " + bound.toMillis()
                    + " ms, took " + String.join(", ", slow)).reproduce(seen.timelines().values().iterator().next().reproduce()),
                    seen.timelines().keySet().stream().map(Fleet.Member::ref).toList());
        }
        return latency;
    }
}
