package io.netconform.probe;

import io.netconform.exec.PodRef;
import io.netconform.exec.ScriptedExecutor;
import io.netconform.policy.Port;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.netconform.exec.ScriptedExecutor.from;
import static org.assertj.core.api.Assertions.assertThat;

/** Retry-to-deadline: only pending keys are re-probed, and the time to converge is measured. */
class ConvergenceTest {

    static final Duration T = Duration.ofSeconds(1);
    static final PodRef XA = new PodRef("x", "a", "main");
    static final PodRef XB = new PodRef("x", "b", "main");

    /** A request's key when it is named by text, as these requests are. */
    static ProbeKey named(String name) {
        return new ProbeKey.Named(name);
    }

    static ProbeRequest req(PodRef source, String ip, Port port) {
        return new ProbeRequest(source + " -> " + ip + " " + port, source, Probe.port(ip, port, T), "y/b " + ip);
    }

    @Test
    void aPolicyThatTakesTwoSecondsToApplyConvergesAndOnlyThePendingPairIsReprobed() {
        ScriptedExecutor net = new ScriptedExecutor();
        // the deny is programmed two seconds late: until then the pair is still allowed
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).accepts()
                .when(from("x/a").to("10.0.0.2", Port.tcp(80))).after(Duration.ofSeconds(2)).drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)),
                req(XB, "10.0.0.2", Port.tcp(80)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false, named("x/a -> 10.0.0.3 TCP/80"), true,
                named("x/b -> 10.0.0.2 TCP/80"), true);

        Verification v = new BatchProber(net, T).withPollInterval(Duration.ofMillis(500))
                .verify(requests, expected, Duration.ofSeconds(10));

        assertThat(v.converged()).as(v.describeFailures()).isTrue();
        assertThat(v.convergedAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4)));
        assertThat(v.result(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.TIMEOUT);
        assertThat(v.rounds()).isGreaterThan(2);
        // round 1: two pods; the retries: only x/a, carrying only the pending probe; the last round: the two allowed
        // pairs, confirmed now that the deny shows (two pods again)
        assertThat(v.execs()).isEqualTo(2 + (v.rounds() - 2) + 2);
        List<ScriptedExecutor.Call> calls = net.calls();
        assertThat(calls.subList(2, calls.size() - 2)).allSatisfy(c -> {
            assertThat(c.pod()).isEqualTo(XA);
            // the socket batch's form of one TCP connect: protocol, address, port, timeout, token
            assertThat(c.probes()).containsExactly(List.of("tcp", "10.0.0.2", "80", "1", "-"));
        });
        assertThat(calls.subList(calls.size() - 2, calls.size())).extracting(ScriptedExecutor.Call::probes)
                .containsExactlyInAnyOrder(List.of(List.of("tcp", "10.0.0.3", "80", "1", "-")),
                        List.of(List.of("tcp", "10.0.0.2", "80", "1", "-")));
    }

    /**
     * A data plane that applies the policy late and then also drops a pair the policy allows (the lab's
     * empty-from-denies fault: a rule without peers matches nobody). Round 1 sees the allowed pair open, before the
     * policy took effect; the blocked pair converges later. The allowed pair must be probed again then, or the
     * fault passes unseen.
     */
    @Test
    void anAllowedPairSeenBeforeThePolicyTookEffectIsProbedAgainOnceItHas() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).accepts()
                .when(from("x/a").to("10.0.0.2", Port.tcp(80))).after(Duration.ofMillis(600)).drops()
                .when(from("x/a").to("10.0.0.3", Port.tcp(80))).accepts()
                .when(from("x/a").to("10.0.0.3", Port.tcp(80))).after(Duration.ofMillis(600)).drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false, named("x/a -> 10.0.0.3 TCP/80"), true);

        Verification v = new BatchProber(net, T).withPollInterval(Duration.ofMillis(200))
                .verify(requests, expected, Duration.ofSeconds(3));

        assertThat(v.converged()).isFalse();
        assertThat(v.mismatches()).extracting(ProbedPair::name).containsExactly("x/a -> 10.0.0.3 TCP/80");
        assertThat(v.result(named("x/a -> 10.0.0.3 TCP/80")).verdict()).isEqualTo(Verdict.TIMEOUT);
    }

    @Test
    void aRoundOneMatchIsNotProbedAgain() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false, named("x/a -> 10.0.0.3 TCP/80"), true);

        Verification v = new BatchProber(net, T).verify(requests, expected, Duration.ofSeconds(3));

        assertThat(v.converged()).isTrue();
        assertThat(v.rounds()).isEqualTo(1);
        assertThat(net.execs("x/a")).isEqualTo(1);
    }

    /**
     * The gap the default leaves, and what {@code withConfirmation} closes: a change that reaches the data plane after
     * a first round in which every pair matched, and opens a pair that should stay blocked (the pair was blocked
     * before the change too). Without the confirmation the step passes in one round; with it, the late opening is
     * probed and reported.
     */
    @Test
    void aBlockedPairOpenedAfterAMatchingFirstRoundIsCaughtOnlyByTheConfirmation() {
        // x/a's first exec (round 1) still sees the old drop; the change has opened the pair from its second on
        java.util.function.Supplier<ScriptedExecutor> net = () -> new ScriptedExecutor()
                .when(from("x/a").to("10.0.0.2", Port.tcp(80))).drops()
                .when(from("x/a").to("10.0.0.2", Port.tcp(80))).afterExecs(1).accepts();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false, named("x/a -> 10.0.0.3 TCP/80"), true);

        Verification unconfirmed = new BatchProber(net.get(), T).verify(requests, expected, Duration.ofSeconds(3));
        assertThat(unconfirmed.converged()).isTrue();
        assertThat(unconfirmed.rounds()).isEqualTo(1);

        Verification confirmed = new BatchProber(net.get(), T).withPollInterval(Duration.ofMillis(200))
                .withConfirmation(Duration.ofMillis(300)).verify(requests, expected, Duration.ofSeconds(3));
        assertThat(confirmed.converged()).isFalse();
        assertThat(confirmed.mismatches()).extracting(ProbedPair::name).containsExactly("x/a -> 10.0.0.2 TCP/80");
        assertThat(confirmed.result(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aConfirmationOnASteadyDataPlaneCostsOneMoreRoundOfEveryPair() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)),
                req(XB, "10.0.0.2", Port.tcp(80)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false, named("x/a -> 10.0.0.3 TCP/80"), true,
                named("x/b -> 10.0.0.2 TCP/80"), true);

        Verification v = new BatchProber(net, T).withConfirmation(Duration.ofMillis(100))
                .verify(requests, expected, Duration.ofSeconds(3));

        assertThat(v.converged()).as(v.describeFailures()).isTrue();
        assertThat(v.rounds()).isEqualTo(2);
        assertThat(v.convergedAfter()).hasValue(Duration.ZERO);
        assertThat(net.execs("x/a")).isEqualTo(2);
        assertThat(net.execs("x/b")).isEqualTo(2);
    }

    @Test
    void aPairThatNeverConvergesIsReportedWithItsReproduceLine() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.udp(81))).drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.udp(81)), req(XA, "10.0.0.3", Port.udp(81)));
        Map<ProbeKey, Boolean> expected = Map.of(named("x/a -> 10.0.0.2 UDP/81"), true, named("x/a -> 10.0.0.3 UDP/81"), true);

        long start = System.nanoTime();
        Verification v = new BatchProber(net, T).verify(requests, expected, Duration.ofSeconds(3));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(v.converged()).isFalse();
        assertThat(v.convergedAfter()).isEmpty();
        assertThat(v.mismatches()).extracting(ProbedPair::name).containsExactly("x/a -> 10.0.0.2 UDP/81");
        assertThat(v.pair(named("x/a -> 10.0.0.3 UDP/81")).converged()).isTrue();
        assertThat(v.describeFailures())
                .contains("x/a -> 10.0.0.2 UDP/81 (x/a -> y/b 10.0.0.2)   expected ALLOWED, got TIMEOUT")
                .containsPattern("reproduce: kubectl exec -n x a -c main -- sh -c 'echo nc-[0-9a-f]{16} \\| socat -t 1 -T 1 - UDP:10.0.0.2:81'");
        // bounded by the deadline: no round starts after 3 s, and a round costs about T
        assertThat(took).isLessThan(Duration.ofSeconds(3).plus(T).plus(Duration.ofSeconds(1)));
    }

    /** A busy cluster: the first exec fails after the whole deadline; the key still gets one observation after it. */
    @Test
    void aKeyWithoutAnyObservationAtTheDeadlineIsProbedOnceMore() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.failNextExecs("x/a", 1);
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)));

        Verification v = new BatchProber(net, T).withExecRetries(0)
                .verify(requests, Map.of(named("x/a -> 10.0.0.2 TCP/80"), true), Duration.ZERO);

        assertThat(v.errors()).isEmpty();
        assertThat(v.converged()).isTrue();
        assertThat(v.rounds()).isEqualTo(2);
        assertThat(net.execs("x/a")).isEqualTo(2);
    }

    @Test
    void anErrorIsRetriedButNeverCountedAsBlocked() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).errors()
                .when(from("x/a").to("10.0.0.3", Port.tcp(80))).errors()
                .when(from("x/a").to("10.0.0.3", Port.tcp(80))).afterExecs(2).refuses();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)));
        Map<ProbeKey, Boolean> expectBlocked = Map.of(named("x/a -> 10.0.0.2 TCP/80"), false,
                named("x/a -> 10.0.0.3 TCP/80"), false);

        Verification v = new BatchProber(net, T).withPollInterval(Duration.ofMillis(200))
                .verify(requests, expectBlocked, Duration.ofSeconds(2));

        assertThat(v.converged()).isFalse();
        assertThat(v.errors()).extracting(ProbedPair::name).containsExactly("x/a -> 10.0.0.2 TCP/80");
        assertThat(v.mismatches()).isEmpty();
        assertThat(v.pair(named("x/a -> 10.0.0.3 TCP/80")).converged()).isTrue();
        assertThat(v.result(named("x/a -> 10.0.0.3 TCP/80")).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(v.rounds()).isGreaterThanOrEqualTo(5);
        assertThat(v.describeFailures()).contains("expected BLOCKED, got ERROR");
    }
}
