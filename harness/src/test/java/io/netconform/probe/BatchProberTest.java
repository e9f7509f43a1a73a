package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.exec.ScriptedExecutor;
import io.netconform.policy.Port;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.netconform.exec.ScriptedExecutor.from;
import static org.assertj.core.api.Assertions.assertThat;

class BatchProberTest {

    static final Duration T = Duration.ofSeconds(1);
    static final PodRef XA = new PodRef("x", "a", "main");
    static final PodRef XB = new PodRef("x", "b", "main");
    static final PodRef YA = new PodRef("y", "a", "main");

    /** A request's key when it is named by text, as these requests are. */
    static ProbeKey named(String name) {
        return new ProbeKey.Named(name);
    }

    static ProbeRequest req(PodRef source, String ip, Port port) {
        return new ProbeRequest(source + " -> " + ip + " " + port, source, Probe.port(ip, port, T), ip);
    }

    @Test
    void oneExecPerSourcePodAndTheFourOutcomesKeptApart() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).refuses()
                .when(from("x/a").to("10.0.0.2", Port.udp(80))).drops()
                .when(from("x/a").to("10.0.0.2", Port.sctp(80))).errors();
        List<ProbeRequest> requests = List.of(
                req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.2", Port.udp(80)), req(XA, "10.0.0.2", Port.sctp(80)),
                req(XA, "10.0.0.3", Port.tcp(80)), req(XB, "10.0.0.2", Port.tcp(80)), req(XB, "10.0.0.2", Port.udp(81)),
                req(YA, "10.0.0.2", Port.sctp(81)));
        BatchProber prober = new BatchProber(net, T);

        Map<ProbeKey, ProbeResult> results = prober.run(requests);

        assertThat(net.execs()).isEqualTo(3);
        assertThat(prober.execCount()).isEqualTo(3);
        assertThat(net.execs("x/a")).isEqualTo(1);
        assertThat(net.calls()).allSatisfy(c -> assertThat(c.batch()).isTrue());
        assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(results.get(named("x/a -> 10.0.0.2 UDP/80")).verdict()).isEqualTo(Verdict.TIMEOUT);
        assertThat(results.get(named("x/a -> 10.0.0.2 SCTP/80")).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(results.get(named("x/a -> 10.0.0.3 TCP/80")).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(results.get(named("x/b -> 10.0.0.2 UDP/81")).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(results.get(named("y/a -> 10.0.0.2 SCTP/81")).verdict()).isEqualTo(Verdict.ALLOWED);
        // the reproduce line repeats the one probe, not the whole batch script
        assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).reproduce())
                .isEqualTo("kubectl exec -n x a -c main -- nc -z -v -w 1 10.0.0.2 80");
    }

    @Test
    void dropsInOneBatchCostTheTimeoutOnceNotPerProbe() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.byDefault().drops();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.3", Port.tcp(80)),
                req(XA, "10.0.0.4", Port.udp(80)), req(XA, "10.0.0.5", Port.sctp(80)), req(XB, "10.0.0.2", Port.tcp(80)));
        Map<ProbeKey, ProbeResult> results = new BatchProber(net, T).run(requests);

        assertThat(results.values()).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.TIMEOUT));
        // one exec per source pod, its probes concurrent inside it: the drops cost one timeout per exec, not per
        // probe (the wall time itself is measured by ProberBenchmarkTest, not asserted by a unit test)
        assertThat(net.execs("x/a")).isEqualTo(1);
        assertThat(net.execs("x/b")).isEqualTo(1);
        assertThat(net.calls()).allSatisfy(c -> assertThat(c.timeout()).isLessThan(T.plus(Probe.EXEC_MARGIN).plusSeconds(2)));
    }

    @Test
    void aTransportErrorIsRetriedAndThenEveryProbeOfTheBatchIsAnError() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.byDefault().drops();
        net.failNextExecs("x/a", 2).failNextExecs("x/b", 3);
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XB, "10.0.0.2", Port.tcp(80)),
                req(XB, "10.0.0.3", Port.udp(80)));

        Map<ProbeKey, ProbeResult> results = new BatchProber(net, T).run(requests);

        assertThat(net.execs("x/a")).isEqualTo(3);
        assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.TIMEOUT);
        assertThat(net.execs("x/b")).isEqualTo(3);
        assertThat(List.of(results.get(named("x/b -> 10.0.0.2 TCP/80")), results.get(named("x/b -> 10.0.0.3 UDP/80"))))
                .allSatisfy(r -> {
                    assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
                    assertThat(r.verdict().blocked()).isFalse();
                    assertThat(r.detail()).contains("TRANSPORT_ERROR after 3 attempt(s)");
                });
    }

    @Test
    void aProbeWithoutARecordIsAnError() {
        // the second probe's record never came (its probe was still running when the watchdog ended the script)
        String stdout = io.netconform.exec.ScriptedExecutor.record(0, 1, "",
                "nc: connect to 10.0.0.2 port 80 (tcp) failed: Connection refused\n");
        BatchProber prober = new BatchProber((pod, command, timeout) ->
                ExecResult.completed(0, stdout, "sh: line 9: kill: (12) - No such process\n", Duration.ofMillis(5)), T)
                .withSocketBatch(false);

        Map<ProbeKey, ProbeResult> results = prober.run(List.of(req(XA, "10.0.0.2", Port.tcp(80)),
                req(XA, "10.0.0.3", Port.tcp(80))));

        assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(results.get(named("x/a -> 10.0.0.3 TCP/80")).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(results.get(named("x/a -> 10.0.0.3 TCP/80")).detail()).contains("no record").contains("No such process");
    }

    @Test
    void singleProbeAndBatchReadTheSameWay() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2")).refuses();
        ProbeResult single = Probe.ping("10.0.0.2", 2, T).run(net, XA);
        ProbeResult batched = new BatchProber(net, T).run(List.of(new ProbeRequest("p", XA, Probe.ping("10.0.0.2", 2, T), "b")))
                .get(named("p"));
        assertThat(single.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(batched.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(batched.detail()).isEqualTo(single.detail());
    }

    @Test
    void connectsAndEchoesGoToOneProcessAndTheRestToTheShellStillInOneExec() {
        ScriptedExecutor net = new ScriptedExecutor();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).refuses();
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.2", Port.udp(80)),
                req(XA, "10.0.0.2", Port.sctp(80)), new ProbeRequest("ping", XA, Probe.ping("10.0.0.2", 1, T), "b"));

        Map<ProbeKey, ProbeResult> results = new BatchProber(net, T).run(requests);

        assertThat(net.execs("x/a")).isEqualTo(1);
        assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).detail()).isEqualTo("tcp connect: Connection refused");
        assertThat(results.get(named("x/a -> 10.0.0.2 UDP/80")).detail()).isEqualTo("udp echo: token echoed back");
        assertThat(results.get(named("x/a -> 10.0.0.2 SCTP/80")).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(results.get(named("ping")).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(net.calls().get(0).probes()).hasSize(4);
    }

    @Test
    void aPodWithoutPerlCostsOneExecOnceThenTheShellDoesEverything() {
        ScriptedExecutor net = new ScriptedExecutor().withoutPerl();
        net.when(from("x/a").to("10.0.0.2", Port.tcp(80))).refuses();
        BatchProber prober = new BatchProber(net, T);
        List<ProbeRequest> requests = List.of(req(XA, "10.0.0.2", Port.tcp(80)), req(XA, "10.0.0.2", Port.udp(80)));

        Map<ProbeKey, ProbeResult> first = prober.run(requests);
        assertThat(net.execs("x/a")).isEqualTo(2);
        Map<ProbeKey, ProbeResult> second = prober.run(requests);
        assertThat(net.execs("x/a")).isEqualTo(3);

        for (Map<ProbeKey, ProbeResult> results : List.of(first, second)) {
            assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).verdict()).isEqualTo(Verdict.REFUSED);
            assertThat(results.get(named("x/a -> 10.0.0.2 TCP/80")).detail()).startsWith("nc: ");
            assertThat(results.get(named("x/a -> 10.0.0.2 UDP/80")).verdict()).isEqualTo(Verdict.ALLOWED);
        }
    }
}
