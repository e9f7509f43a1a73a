package io.netconform.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netconform.policy.Reachability.Pair;
import io.netconform.policy.Reachability.State;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    static final Topology SHOP = Topology.of("frontend/web", "backend/api", "backend/db", "outside/client")
            .serving(Port.tcp(8080));
    static final Port HTTP = Port.tcp(8080);

    @Test
    void rulesEditTheMatrixAndRenderAsAGrid() {
        Reachability expected = Reachability.allAllowed(SHOP, HTTP)
                .denyIngressTo("backend/*")
                .allow("frontend/web", "backend/api")
                .allow("backend/api", "backend/db")
                .set("outside/client", "*/web", State.UNKNOWN);
        assertThat(expected.render()).isEqualTo("""
                TCP/8080       frontend/web backend/api backend/db outside/client
                frontend/web   -            .           X          .
                backend/api    .            -           .          .
                backend/db     .            X           -          .
                outside/client ?            X           X          -
                """);
        assertThat(expected.get("backend/api", "backend/db")).isEqualTo(State.ALLOWED);
        assertThat(expected.get("backend/db", "backend/api")).isEqualTo(State.BLOCKED);
    }

    @Test
    void egressRulesAndWildcards() {
        Reachability r = Reachability.allAllowed(SHOP, HTTP).denyEgressFrom("backend/*").allow("*/db", "*");
        assertThat(r.get("backend/api", "frontend/web")).isEqualTo(State.BLOCKED);
        assertThat(r.get("backend/db", "frontend/web")).isEqualTo(State.ALLOWED);
        assertThat(r.get("frontend/web", "backend/api")).isEqualTo(State.ALLOWED);
        assertThat(Reachability.allBlocked(SHOP).allow("*", "*").diff(Reachability.allAllowed(SHOP))).isEmpty();
    }

    @Test
    void patternsThatMatchNothingAndSelfPairsAreRejected() {
        Reachability r = Reachability.allAllowed(SHOP, HTTP);
        assertThatThrownBy(() -> r.deny("backend/*", "backnd/db")).hasMessageContaining("'backnd/db' matches no pod");
        assertThatThrownBy(() -> r.deny("backend", "*")).hasMessageContaining("is not ns/pod");
        assertThatThrownBy(() -> r.get("backend/db", "backend/db")).hasMessageContaining("itself");
    }

    @Test
    void diffListsEveryDifferingPairIncludingUnknowns() {
        Reachability expected = Reachability.allAllowed(SHOP, HTTP).denyIngressTo("backend/db");
        Reachability observed = Reachability.allAllowed(SHOP, HTTP).deny("frontend/web", "backend/db")
                .set(PodId.of("outside/client"), PodId.of("frontend/web"), State.UNKNOWN);
        assertThat(expected.diff(observed)).containsExactly(
                new Pair(PodId.of("backend/api"), PodId.of("backend/db")),
                new Pair(PodId.of("outside/client"), PodId.of("frontend/web")),
                new Pair(PodId.of("outside/client"), PodId.of("backend/db")));
        assertThat(expected.renderComparison(observed)).isEqualTo("""
                TCP/8080       frontend/web backend/api backend/db outside/client
                frontend/web   -            .           .          .
                backend/api    .            -           X          .
                backend/db     .            .           -          .
                outside/client X            .           X          -
                """);
    }

    @Test
    void reportShowsEachWrongPairWithWhyAndReproduceThenTheGrids() {
        Topology small = Topology.of("backend/api", "backend/db").serving(HTTP);
        Reachability expected = Reachability.allAllowed(small, HTTP);
        Reachability observed = Reachability.allAllowed(small, HTTP).deny("backend/api", "backend/db");
        String report = Reachability.report(expected, observed,
                pair -> "db-allows-api, ingress rule 0 matches pod=api",
                pair -> "timeout after 1.0s",
                pair -> "kubectl exec -n nc-backend api -- curl -sS -m 1 http://10.42.1.17:8080/");
        assertThat(report).isEqualTo("""
                1 of 2 pairs wrong on TCP/8080
                backend/api -> backend/db   expected ALLOWED, got BLOCKED (timeout after 1.0s)
                  why expected: db-allows-api, ingress rule 0 matches pod=api
                  reproduce:    kubectl exec -n nc-backend api -- curl -sS -m 1 http://10.42.1.17:8080/

                expected:
                TCP/8080    backend/api backend/db
                backend/api -           .
                backend/db  .           -

                observed (. allowed, X no answer (dropped), R refused, E could not observe):
                TCP/8080    backend/api backend/db
                backend/api -           X
                backend/db  .           -

                comparison (. agree, X disagree):
                TCP/8080    backend/api backend/db
                backend/api -           X
                backend/db  .           -
                """);
    }

    @Test
    void oraclePredictionIsAReachability() {
        PolicyOracle oracle = PolicyCases.oracle(SHOP, """
                metadata: {name: db-allows-api, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod: api}}}]}]
                """);
        Reachability expected = Reachability.allAllowed(SHOP, HTTP).denyIngressTo("backend/db").allow("backend/api", "backend/db");
        assertThat(oracle.reachability(HTTP).diff(expected)).isEmpty();
    }

    /** An observed grid keeps a drop, a reject and a probe that could not observe apart; the comparison does not. */
    @Test
    void observedGridsMarkDropRejectAndErrorApartWhileTheComparisonAsksOnlyAllowedOrNot() {
        Topology t = Topology.of("x/a", "x/b", "x/c").serving(HTTP);
        Reachability expected = Reachability.allAllowed(t, HTTP).denyIngressTo("x/c").deny("x/c", "x/a");
        Reachability observed = Reachability.allAllowed(t, HTTP)
                .set(PodId.of("x/a"), PodId.of("x/c"), State.BLOCKED)     // dropped, as expected
                .set(PodId.of("x/b"), PodId.of("x/c"), State.REFUSED)     // rejected: as blocked as a drop
                .set(PodId.of("x/c"), PodId.of("x/a"), State.ERROR)       // could not observe: never a match
                .set(PodId.of("x/c"), PodId.of("x/b"), State.REFUSED);    // rejected where ALLOWED was expected

        assertThat(observed.render()).isEqualTo("""
                TCP/8080 x/a x/b x/c
                x/a      -   .   X
                x/b      .   -   R
                x/c      E   R   -
                """);
        assertThat(expected.render()).as("an expectation is allowed or blocked").doesNotContain("R").doesNotContain("E");
        assertThat(expected.diff(observed)).containsExactly(
                new Pair(PodId.of("x/c"), PodId.of("x/a")),
                new Pair(PodId.of("x/c"), PodId.of("x/b")));
        assertThat(expected.renderComparison(observed)).isEqualTo("""
                TCP/8080 x/a x/b x/c
                x/a      -   .   .
                x/b      .   -   .
                x/c      X   X   -
                """);
        assertThat(Reachability.report(expected, observed, null, null))
                .contains("x/c -> x/a   expected BLOCKED, got ERROR")
                .contains("x/c -> x/b   expected ALLOWED, got REFUSED")
                .contains("observed (" + State.LEGEND + "):")
                .doesNotContain("x/b -> x/c");
    }
}
