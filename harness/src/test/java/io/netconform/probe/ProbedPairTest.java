package io.netconform.probe;

import io.netconform.exec.PodRef;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;
import io.netconform.policy.Protocol;
import io.netconform.policy.Reachability.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One probed pair as one record, found by a typed key; the verification's questions asked of those records. */
class ProbedPairTest {

    static final PodId XA = PodId.of("x/a");
    static final PodId YB = PodId.of("y/b");
    static final PodRef XA_POD = new PodRef("nc-1-x", "a", "probe");

    static ProbeKey.Pair key(PodId to, Port port, IpFamily family) {
        return new ProbeKey.Pair(XA, to, port, family);
    }

    static ProbedPair probed(ProbeKey key, String name, boolean expectAllowed, Verdict verdict, Duration matchedAt) {
        ProbeRequest request = new ProbeRequest(key, name, XA_POD, Probe.tcpConnect("10.0.0.2", 80, Duration.ofSeconds(1)),
                "y/b");
        ProbeResult result = new ProbeResult(verdict, verdict + " detail", "", 1, Duration.ZERO, request.reproduce(), Map.of());
        return new ProbedPair(request, expectAllowed, result, Optional.ofNullable(matchedAt));
    }

    @Test
    void aPairKeyIsTheTrafficNotThePortsName() {
        ProbeKey named = key(YB, new Port(80, Protocol.TCP, "http"), IpFamily.IPV4);
        ProbeKey numbered = key(YB, Port.tcp(80), IpFamily.IPV4);

        assertThat(named).isEqualTo(numbered).hasSameHashCodeAs(numbered);
        assertThat(numbered).isNotEqualTo(key(YB, Port.udp(80), IpFamily.IPV4))
                .isNotEqualTo(key(YB, Port.tcp(80), IpFamily.IPV6))
                .isNotEqualTo(new ProbeKey.Pair(YB, XA, Port.tcp(80), IpFamily.IPV4))
                .isNotEqualTo(new ProbeKey.Named("x/a -> y/b TCP/80 IPv4"));
        assertThat(numbered).hasToString("x/a -> y/b TCP/80 IPv4");
    }

    @Test
    void aRequestWithoutANameIsNamedByItsKeyAndANamedCheckByItsName() {
        ProbeRequest unnamed = new ProbeRequest(key(YB, Port.tcp(80), IpFamily.IPV6), null, XA_POD,
                Probe.tcpConnect("fd00::2", 80, Duration.ofSeconds(1)), "y/b");
        ProbeRequest check = new ProbeRequest("ICMP node n1 -> pod on n2", XA_POD,
                Probe.ping("10.0.0.2", 1, Duration.ofSeconds(1)), null);

        assertThat(unnamed.name()).isEqualTo("x/a -> y/b TCP/80 IPv6");
        assertThat(check.key()).isEqualTo(new ProbeKey.Named("ICMP node n1 -> pod on n2"));
        assertThat(check.name()).isEqualTo("ICMP node n1 -> pod on n2");
        assertThat(check.target()).isEmpty();
    }

    @Test
    void theFourVerdictsKeepTheirOwnGridMarks() {
        ProbeKey k = key(YB, Port.tcp(80), IpFamily.IPV4);
        assertThat(List.of(Verdict.ALLOWED, Verdict.TIMEOUT, Verdict.REFUSED, Verdict.ERROR))
                .extracting(v -> probed(k, "p", true, v, null).observed())
                .containsExactly(State.ALLOWED, State.BLOCKED, State.REFUSED, State.ERROR);
        assertThat(List.of(State.ALLOWED, State.BLOCKED, State.REFUSED, State.ERROR)).extracting(State::symbol)
                .containsExactly('.', 'X', 'R', 'E');
    }

    @Test
    void aRejectMatchesAnExpectedBlockAndAnErrorMatchesNothing() {
        ProbeResult refused = probed(new ProbeKey.Named("r"), "r", false, Verdict.REFUSED, null).result();
        ProbeResult error = probed(new ProbeKey.Named("e"), "e", false, Verdict.ERROR, null).result();

        assertThat(ProbedPair.matches(refused, false)).isTrue();
        assertThat(ProbedPair.matches(refused, true)).isFalse();
        assertThat(ProbedPair.matches(error, false)).isFalse();
        assertThat(ProbedPair.matches(error, true)).isFalse();
    }

    @Test
    void mismatchesAndErrorsComeFromTheRecordsSortedByName() {
        ProbeKey ok = key(YB, Port.tcp(80), IpFamily.IPV4);
        ProbeKey wrong = key(YB, Port.tcp(81), IpFamily.IPV4);
        ProbeKey alsoWrong = key(PodId.of("a/z"), Port.tcp(80), IpFamily.IPV4);
        ProbeKey broken = key(YB, Port.tcp(80), IpFamily.IPV6);
        Verification v = new Verification(List.of(
                probed(ok, "x/a -> y/b TCP/80", false, Verdict.TIMEOUT, Duration.ofMillis(300)),
                probed(wrong, "x/a -> y/b TCP/81", false, Verdict.ALLOWED, null),
                probed(alsoWrong, "x/a -> a/z TCP/80", true, Verdict.REFUSED, null),
                probed(broken, "x/a -> y/b TCP/80 IPv6", false, Verdict.ERROR, null)),
                Optional.empty(), 3, 6, Duration.ofSeconds(2));

        assertThat(v.mismatches()).extracting(ProbedPair::name).containsExactly("x/a -> a/z TCP/80", "x/a -> y/b TCP/81");
        assertThat(v.errors()).extracting(ProbedPair::key).containsExactly(broken);
        assertThat(v.pair(ok).converged()).isTrue();
        assertThat(v.pair(ok).matchedAt()).contains(Duration.ofMillis(300));
        assertThat(v.result(wrong).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(v.converged()).isFalse();
        assertThat(v.describeFailures().lines().filter(l -> !l.startsWith("  ")).toList()).containsExactly(
                "x/a -> a/z TCP/80 (nc-1-x/a -> y/b)   expected ALLOWED, got REFUSED (REFUSED detail) after 2000 ms",
                "x/a -> y/b TCP/81 (nc-1-x/a -> y/b)   expected BLOCKED, got ALLOWED (ALLOWED detail) after 2000 ms",
                "x/a -> y/b TCP/80 IPv6 (nc-1-x/a -> y/b)   expected BLOCKED, got ERROR (ERROR detail) after 2000 ms");
        assertThat(v.describeFailures()).contains("  reproduce: kubectl exec -n nc-1-x a -c probe -- nc -z -v -w 1 10.0.0.2 80");
        // the same pairs as a failure's items: what describeFailures prints first, the command apart
        List<String> items = new java.util.ArrayList<>();
        v.forEachFailure((what, reproduce) -> items.add(what + " | " + reproduce));
        assertThat(items).containsExactly(
                "x/a -> a/z TCP/80 (nc-1-x/a -> y/b)   expected ALLOWED, got REFUSED (REFUSED detail) after 2000 ms | "
                        + v.result(alsoWrong).reproduce(),
                "x/a -> y/b TCP/81 (nc-1-x/a -> y/b)   expected BLOCKED, got ALLOWED (ALLOWED detail) after 2000 ms | "
                        + v.result(wrong).reproduce(),
                "x/a -> y/b TCP/80 IPv6 (nc-1-x/a -> y/b)   expected BLOCKED, got ERROR (ERROR detail) after 2000 ms | "
                        + v.result(broken).reproduce());
    }

    @Test
    void aKeyIsProbedOnceAndAnUnknownKeyIsNamed() {
        ProbeKey k = key(YB, Port.tcp(80), IpFamily.IPV4);
        ProbedPair once = probed(k, "x/a -> y/b", true, Verdict.ALLOWED, Duration.ZERO);

        assertThatThrownBy(() -> new Verification(List.of(once, once), Optional.empty(), 1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x/a -> y/b TCP/80 IPv4 appears twice");
        Verification v = new Verification(List.of(once), Optional.of(Duration.ZERO), 1, 1, Duration.ZERO);
        assertThatThrownBy(() -> v.pair(key(YB, Port.tcp(80), IpFamily.IPV6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing was probed under x/a -> y/b TCP/80 IPv6");
    }
}
