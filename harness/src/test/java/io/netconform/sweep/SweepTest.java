package io.netconform.sweep;

import io.netconform.exec.PodRef;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweep's summary: wrong cases grouped by tag, so a CNI's gap reads as one finding. */
class SweepTest {

    static CaseResult result(int number, boolean wrong, String... tags) {
        ProbeRequest request = new ProbeRequest(new ProbeKey.Pair(PodId.of("x/a"), PodId.of("y/b"), Port.tcp(80), IpFamily.IPV4),
                "x/a -> y/b TCP/80", new PodRef("x", "a", "main"), Probe.tcpConnect("10.0.0.2", 80, Duration.ofSeconds(1)),
                "y/b");
        ProbeResult result = new ProbeResult(wrong ? Verdict.ALLOWED : Verdict.TIMEOUT, "", "", 0, Duration.ZERO, "", Map.of());
        Verification v = new Verification(List.of(new ProbedPair(request, false, result,
                wrong ? Optional.empty() : Optional.of(Duration.ofMillis(400)))),
                wrong ? Optional.empty() : Optional.of(Duration.ofMillis(400)), 2, 9, Duration.ofSeconds(1));
        SweepCase c = new SweepCase(number, 5, new TreeSet<>(List.of(tags)), List.of(), null);
        return new CaseResult(c, List.of(new CaseResult.Step("policies", Map.of(), Map.of(), null, v, IpFamily.IPV4)),
                Duration.ofSeconds(3), 18);
    }

    @Test
    void findingsGroupWrongCasesByTagEveryCaseOfATagFirst() {
        Sweep sweep = new Sweep(new Sweep.Settings(5, 4, List.of(), List.of(), null));
        sweep.record(result(1, true, "egress-port-named", "types-egress"));
        sweep.record(result(2, true, "egress-port-named", "types-both"));
        sweep.record(result(3, false, "ingress-port-named", "types-egress"));
        sweep.record(result(4, false, "egress-port-numeric", "types-both"));
        String text = sweep.findings();
        assertThat(text).contains("4 cases, 2 with wrong verdicts")
                .contains("(18.0 per case)")
                .containsPattern("egress-port-named\\s+2 of\\s+2 cases wrong  <- every case with this tag")
                .containsPattern("types-egress\\s+1 of\\s+2 cases wrong")
                .contains("wrong cases: case-001 case-002").contains("--seed 5 --only N")
                .contains("policies median 400 max 400 (n=2)");
        assertThat(text.indexOf("egress-port-named")).isLessThan(text.indexOf("types-egress"));
    }

    @Test
    void sweepJsonCarriesTalliesAndPerCaseOutcome(@TempDir Path dir) throws Exception {
        Sweep sweep = new Sweep(new Sweep.Settings(5, 2, List.of("egress"), List.of(), null));
        sweep.record(result(1, true, "egress-port-named"));
        sweep.record(result(2, false, "egress-port-none"));
        String json = Files.readString(sweep.writeJson(dir));
        assertThat(json).contains("\"seed\" : 5", "\"wrongCases\" : 1", "\"status\" : \"WRONG\"", "\"status\" : \"PASSED\"",
                "\"tag\" : \"egress-port-named\"", "\"convergedAfterMs\" : 400");
    }

    @Test
    void settingsRejectWhatCannotRun() {
        assertThatThrownBy(() -> new Sweep.Settings(1, 0, List.of(), List.of(), null)).hasMessageContaining("--cases");
        assertThatThrownBy(() -> new Sweep.Settings(1, 5, List.of("egres"), List.of(), null)).hasMessageContaining("egres");
    }
}
