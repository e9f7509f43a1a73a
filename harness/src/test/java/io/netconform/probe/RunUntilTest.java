package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry-to-deadline must never cut a probe short: a DNS server that drops queries is a TIMEOUT with dig's own output,
 * not an exec "interrupted while waiting" that sends the reader to the API server (issue: verdicts you can trust).
 */
class RunUntilTest {

    static final PodRef POD = new PodRef("nc-dns", "client", "probe");
    static final Fixture DIG_TIMEOUT = Fixture.load("12-dig-timeout.txt");

    @Test
    void aDnsServerThatDropsIsATimeoutWithDigsOwnOutputEvenWhenTheDeadlinePassesMidProbe() {
        AtomicInteger calls = new AtomicInteger();
        // like dig +time=1 against a silent server: each lookup takes its whole second, then prints "timed out"
        Executor dropping = (pod, command, timeout) -> {
            calls.incrementAndGet();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecResult.failed(ExecResult.Status.INTERRUPTED, "interrupted", "", "", Duration.ofMillis(1));
            }
            return ExecResult.completed(DIG_TIMEOUT.exitCode(), DIG_TIMEOUT.output(), "", Duration.ofSeconds(1));
        };
        Probe dig = Probe.dig("10.96.0.10", "kubernetes.default.svc.cluster.local", Duration.ofSeconds(1), false);

        ProbeResult last = dig.runUntil(dropping, POD, Duration.ofMillis(1500),
                r -> DnsResult.of(r).answer() == DnsAnswer.RESOLVED);

        assertThat(last.verdict()).as(last.detail()).isEqualTo(Verdict.TIMEOUT);
        assertThat(DnsResult.of(last).answer()).isEqualTo(DnsAnswer.TIMEOUT);
        assertThat(last.output()).contains("communications error to 10.244.1.54#53: timed out");
        assertThat(last.detail()).doesNotContain("interrupted", "TRANSPORT_ERROR");
        assertThat(calls.get()).as("probed again until the deadline").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aProbeThatShowsWhatIsWantedEndsTheWait() {
        AtomicInteger calls = new AtomicInteger();
        Fixture resolved = Fixture.load("10-dig-exists.txt");
        Executor answers = (pod, command, timeout) -> {
            calls.incrementAndGet();
            return ExecResult.completed(resolved.exitCode(), resolved.output(), "", Duration.ofMillis(5));
        };
        ProbeResult last = Probe.dig("10.96.0.10", "web.default.svc.cluster.local", Duration.ofSeconds(1), false)
                .runUntil(answers, POD, Duration.ofSeconds(30), r -> DnsResult.of(r).answer() == DnsAnswer.RESOLVED);

        assertThat(DnsResult.of(last).answer()).isEqualTo(DnsAnswer.RESOLVED);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void anExecThatKeepsFailingEndsAsAnErrorNamingTheTransportNeverAsAVerdict() {
        Executor broken = (pod, command, timeout) -> ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR,
                "exec into nc-dns/client failed: An error has occurred (5 attempts)", "", "", Duration.ofMillis(5));
        ProbeResult last = Probe.dig("10.96.0.10", "kubernetes.default", Duration.ofSeconds(1), false)
                .runUntil(broken, POD, Duration.ofMillis(200), r -> DnsResult.of(r).answer() == DnsAnswer.TIMEOUT);

        assertThat(last.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(last.detail()).contains("TRANSPORT_ERROR", "5 attempts");
        assertThat(last.verdict().blocked()).isFalse();
    }
}
