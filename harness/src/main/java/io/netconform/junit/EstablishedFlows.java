package io.netconform.junit;

import io.netconform.disruption.Check;
import io.netconform.disruption.OpenFlows;
import io.netconform.disruption.PathDisruption;
import io.netconform.disruption.Revocation;
import io.netconform.disruption.Target;
import io.netconform.exec.PodRef;
import io.netconform.policy.Port;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A TCP connection and a UDP flow opened from one pod to another before a policy change, each measured beside new
 * connections on the same path (one prober, one exec, one clock). After the change, {@link #judge} says whether and
 * when the open flows stopped — a per-CNI fact recorded in the run summary ({@code cni.established-flows.*}),
 * not a failure, unless {@value #REQUIRE} is set ({@code netconform run --require-revocation}). New connections must
 * stop: that is ordinary enforcement, and a failure when they do not.
 */
public final class EstablishedFlows {

    public static final String REQUIRE = "netconform.require-revocation";
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** Long enough for the prober to start and both flows to echo, on a busy node too. */
    static final Duration OPEN = Duration.ofSeconds(5);
    /**
     * How long the path may take to work before the flows open. The deployment is shared with the suite's other case,
     * and the API listing no policy does not mean the data plane has let go of them: in a CI-equivalent run with the
     * suites side by side the lab's enforcer took over 18 s to drop the previous case's deny, and every new connection
     * of this case timed out, which read as "never worked".
     */
    static final Duration BASELINE = Duration.ofSeconds(60);
    /** How long the flows are watched after the change: enforcement plus a generous revocation delay. */
    static final Duration AFTER = Duration.ofSeconds(12);

    private final Scenario scenario;
    private final PodRef from;
    private final List<Target> targets;
    private final CompletableFuture<List<PathDisruption>> measuring;

    private EstablishedFlows(Scenario scenario, PodRef from, List<Target> targets,
                             CompletableFuture<List<PathDisruption>> measuring) {
        this.scenario = scenario;
        this.from = from;
        this.targets = targets;
        this.measuring = measuring;
    }

    /** Opens the flows from {@code fromPod} to {@code toPod} (topology ids) and returns once they are open. */
    public static EstablishedFlows open(Scenario scenario, String fromPod, String toPod, Port tcp, Port udp) {
        String ip = scenario.topology().pod(toPod).ips().get(0);
        PodRef from = scenario.pod(fromPod);
        if (scenario.run() == null) {
            // a dry run (no cluster) checks the case's pods and fixtures only
            return new EstablishedFlows(scenario, from, List.of(), null);
        }
        String path = fromPod + " → " + toPod;
        for (Probe probe : List.of(Probe.tcpConnect(ip, tcp.number(), Duration.ofSeconds(1)),
                Probe.udpEcho(ip, udp.number(), Duration.ofSeconds(1)))) {
            ProbeResult works = probe.runUntil(scenario.run().executor(), from, BASELINE,
                    r -> r.verdict() == Verdict.ALLOWED);
            if (works.verdict() != Verdict.ALLOWED) {
                throw scenario.broken(BrokenCheck.of(path + " does not work before the change, " + BASELINE.toSeconds()
                        + " s after the case's policies were applied (" + works.verdict() + ": " + works.detail()
                        + "); nothing to observe open flows on").reproduce(works.reproduce()), List.of(from));
            }
        }
        List<Target> targets = List.of(
                new Target("tn", path, Check.TCP, ip, tcp.number(), from.pod()),
                new Target("to", path, Check.TCP_REUSED, ip, tcp.number(), from.pod()),
                new Target("un", path, Check.UDP, ip, udp.number(), from.pod()),
                new Target("uo", path, Check.UDP_REUSED, ip, udp.number(), from.pod()));
        CompletableFuture<List<PathDisruption>> measuring = OpenFlows.measure(scenario.run().executor(), from, targets,
                INTERVAL, OPEN.plus(AFTER).plusSeconds(3));
        // the prober's output only arrives when the exec ends: the flows get their time to open, and the prober
        // must still be running then (an exec that already ended failed)
        await("the prober in " + from + " to be running with its flows open after " + OPEN.toSeconds() + " s")
                .pollDelay(OPEN).atMost(OPEN.plusSeconds(1)).until(() -> !measuring.isDone());
        return new EstablishedFlows(scenario, from, targets, measuring);
    }

    /**
     * Waits for the measurement to end and judges it. {@code change} names what was done (e.g. {@code deny applied}).
     *
     * @throws CheckFailure when new connections were never blocked (the change was not enforced), or, with
     *                        {@value #REQUIRE}, when an open flow survived it
     */
    public List<Revocation> judge(String change) {
        if (measuring == null) {
            return List.of();
        }
        List<PathDisruption> measured;
        try {
            measured = measuring.get(OPEN.plus(AFTER).plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring open flows in " + from, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the prober exec in " + from + " did not end", e);
        }
        for (PathDisruption p : measured) {
            if (p.neverUp() != null) {
                throw scenario.broken(BrokenCheck.of(p.target().name() + " never worked, before or after the change: "
                        + p.neverUp() + " (the flows could not be opened: a setup problem, not a policy verdict)"), List.of(from));
            }
        }
        Revocation tcp = Revocation.judge(measured.get(0), measured.get(1));
        Revocation udp = Revocation.judge(measured.get(2), measured.get(3));
        String fact = "TCP " + tcp.describe() + ", UDP " + udp.describe();
        String key = "established-flows." + change.replaceAll("[^a-z]+", "-");
        scenario.run().summary().cni(Map.of(key, fact));
        scenario.run().say("[policy-established] " + targets.get(0).path() + ", " + change + ": open " + fact);
        Report.attachText("open flows, " + change, measured.stream().map(p -> p.target().name() + ": " + p.outages())
                .reduce((a, b) -> a + "\n" + b).orElse(""));
        String reproduce = from.kubectlExec(List.of("socat", "-", "TCP:" + targets.get(0).host() + ":"
                + targets.get(0).port()));
        for (Revocation r : List.of(tcp, udp)) {
            if (!r.enforced()) {
                throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_ALLOW, "after the policy change (" + change
                        + "), new " + r.flow().check().label().split(" ")[0] + " connections " + r.flow().path()
                        + " kept working for " + AFTER.toSeconds() + " s: the policy was not enforced")
                        .reproduce(reproduce), List.of(from));
            }
        }
        if (Boolean.getBoolean(REQUIRE) && (tcp.survived() || udp.survived())) {
            throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_ALLOW, "expected open flows to stop after the "
                    + "policy change (" + change + ", --require-revocation), seen: " + fact).reproduce(reproduce), List.of(from));
        }
        return List.of(tcp, udp);
    }
}
