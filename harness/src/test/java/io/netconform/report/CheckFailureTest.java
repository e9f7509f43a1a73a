package io.netconform.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rendering of a check that did not pass, and how the summary reads it back. */
class CheckFailureTest {

    @Test
    void oneReproduceLineSitsUnderTheMessageThenTheOutputThenTheEvidence() {
        CheckFailure failure = CheckFailure.of(FailureKind.DNS, "FQDN over UDP: expected RESOLVED, got TIMEOUT")
                .reproduce("kubectl exec -n nc-1 client -c probe -- dig +time=1 a.b A")
                .output("  ;; connection timed out; no servers could be reached\n")
                .evidenceIn("reports/evidence/DnsTest-1f");

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.kind()).isEqualTo(FailureKind.DNS);
        assertThat(failure.reproduceLines()).containsExactly("kubectl exec -n nc-1 client -c probe -- dig +time=1 a.b A");
        assertThat(failure.getMessage()).isEqualTo("""
                [dns] FQDN over UDP: expected RESOLVED, got TIMEOUT
                  reproduce: kubectl exec -n nc-1 client -c probe -- dig +time=1 a.b A
                  output: ;; connection timed out; no servers could be reached
                  evidence: reports/evidence/DnsTest-1f""");
    }

    @Test
    void severalReproduceLinesAreListedUnderOneHeading() {
        CheckFailure failure = CheckFailure.of(FailureKind.MTU, "n1 → n2: expected 1450, found interface MTU 1500")
                .reproduce(List.of("kubectl exec a -- ping -M do -s 1422 10.0.0.2", "kubectl exec a -- tracepath 10.0.0.2"))
                .reproduce((String) null).reproduce(" ");

        assertThat(failure.getMessage()).isEqualTo("""
                [mtu] n1 → n2: expected 1450, found interface MTU 1500
                  reproduce:
                    kubectl exec a -- ping -M do -s 1422 10.0.0.2
                    kubectl exec a -- tracepath 10.0.0.2""");
    }

    @Test
    void itemsCarryTheirOwnReproduceLine() {
        CheckFailure failure = CheckFailure.of(FailureKind.UNEXPECTED_DROP, "ClusterIP after a backend left:")
                .item("client on n1: never answered by web-2 in 40 attempts", "kubectl exec c1 -- sh -c loop")
                .item("client on n2: no reproduce for this one", null);

        assertThat(failure.getMessage()).isEqualTo("""
                [unexpected-drop] ClusterIP after a backend left:
                  client on n1: never answered by web-2 in 40 attempts
                    reproduce: kubectl exec c1 -- sh -c loop
                  client on n2: no reproduce for this one""");
        assertThat(failure.text().items()).containsExactly(
                new FailureText.Item("client on n1: never answered by web-2 in 40 attempts", "kubectl exec c1 -- sh -c loop"),
                new FailureText.Item("client on n2: no reproduce for this one", null));
    }

    @Test
    void aMessageThatAlreadyCarriesTheMarkerIsNotMarkedTwice() {
        assertThat(CheckFailure.of(FailureKind.SERVICE, "[service] x").getMessage()).isEqualTo("[service] x");
        assertThat(new BrokenCheck("[infra] y").getMessage()).isEqualTo("[infra] y");
    }

    @Test
    void brokenIsInfrastructureAndNotAnAssertion() {
        BrokenCheck broken = BrokenCheck.of("FQDN over UDP: could not observe DNS (exec TRANSPORT_ERROR)")
                .reproduce("kubectl exec -n nc-1 client -- dig a.b").causedBy(new IllegalStateException("gone"));

        assertThat(broken).isNotInstanceOf(AssertionError.class);
        assertThat(broken.kind()).isEqualTo(FailureKind.INFRA);
        assertThat(broken.getCause()).hasMessage("gone");
        assertThat(broken.getMessage()).isEqualTo("""
                [infra] FQDN over UDP: could not observe DNS (exec TRANSPORT_ERROR)
                  reproduce: kubectl exec -n nc-1 client -- dig a.b""");
    }

    /** The summary sorts by status (the type) and kind (the marker the type wrote): a DNS word is not a DNS failure. */
    @Test
    void theSummaryReadsStatusFromTheTypeAndKindFromTheMarker() {
        SummaryRecorder recorder = new SummaryRecorder("run-1", "test");
        recorder.check("f", "dns", "f", CheckFailure.of(FailureKind.DNS, "lookup: expected RESOLVED, got NXDOMAIN")
                .reproduce("kubectl exec x -- dig y"), Duration.ZERO, Map.of());
        recorder.check("b", "dns", "b", BrokenCheck.of("[dns] could not observe").reproduce("kubectl exec x -- dig y"),
                Duration.ZERO, Map.of());

        Summary summary = recorder.summary();
        Summary.Check failed = summary.checks().stream().filter(c -> c.id().equals("f")).findFirst().orElseThrow();
        Summary.Check broken = summary.checks().stream().filter(c -> c.id().equals("b")).findFirst().orElseThrow();
        assertThat(failed.status()).isEqualTo(Summary.Status.FAILED);
        assertThat(failed.kind()).isEqualTo(FailureKind.DNS);
        assertThat(failed.message()).endsWith("\n  reproduce: kubectl exec x -- dig y");
        assertThat(broken.status()).isEqualTo(Summary.Status.BROKEN);
        assertThat(broken.kind()).as("the infra marker comes first, so the DNS word in it does not win")
                .isEqualTo(FailureKind.INFRA);
    }
}
