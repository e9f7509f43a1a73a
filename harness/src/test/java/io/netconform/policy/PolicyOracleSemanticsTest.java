package io.netconform.policy;

import static io.netconform.policy.PolicyCases.assertGrid;
import static io.netconform.policy.PolicyCases.oracle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The v1 edge cases an oracle must get right, each on the smallest topology that shows it. */
class PolicyOracleSemanticsTest {

    static final Topology SHOP = Topology.of("frontend/web", "backend/api", "backend/db", "outside/client")
            .serving(Port.tcp(8080));
    static final Port HTTP = Port.tcp(8080);

    @Test
    void egressIsInferredOnlyFromEgressRules() {
        String emptyEgress = """
                metadata: {name: empty-egress, namespace: backend}
                spec:
                  podSelector: {}
                  ingress: [{}]
                  egress: []
                """;
        Prediction p = oracle(SHOP, emptyEgress).predict("backend/api", "outside/client", HTTP);
        assertThat(p.allowed()).isTrue();
        assertThat(p.egress().isolated()).isFalse();

        String withRules = """
                metadata: {name: egress-to-db, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: api}}
                  ingress: [{}]
                  egress: [{to: [{podSelector: {matchLabels: {pod: db}}}]}]
                """;
        PolicyOracle oracle = oracle(SHOP, withRules);
        assertThat(oracle.predict("backend/api", "outside/client", HTTP).allowed()).isFalse();
        assertThat(oracle.predict("backend/api", "backend/db", HTTP).allowed()).isTrue();
        assertThat(oracle.predict("backend/api", "outside/client", HTTP).egress().isolatingPolicies())
                .containsExactly("backend/egress-to-db");
    }

    @Test
    void ingressIsAlwaysInferredButIgnoredWhenPolicyTypesSayEgressOnly() {
        String egressOnly = """
                metadata: {name: egress-only, namespace: backend}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  ingress: [{from: [{podSelector: {matchLabels: {pod: nobody}}}]}]
                  egress: [{}]
                """;
        Prediction p = oracle(SHOP, egressOnly).predict("frontend/web", "backend/api", HTTP);
        assertThat(p.allowed()).isTrue();
        assertThat(p.ingress().isolated()).isFalse();

        String inferred = """
                metadata: {name: inferred, namespace: backend}
                spec:
                  podSelector: {}
                """;
        assertThat(oracle(SHOP, inferred).predict("frontend/web", "backend/api", HTTP).allowed()).isFalse();
    }

    @Test
    void ruleWithoutFromAllowsEveryoneIncludingOutsideAddresses() {
        PolicyOracle oracle = oracle(SHOP, """
                metadata: {name: open-8080, namespace: backend}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{port: 8080}]}]
                """);
        assertThat(oracle.predict("outside/client", "backend/db", HTTP).allowed()).isTrue();
        assertThat(oracle.predictIngressFrom("203.0.113.9", PodId.of("backend/db"), HTTP).allowed()).isTrue();
        assertThat(oracle.predictIngressFrom("203.0.113.9", PodId.of("backend/db"), Port.tcp(9090)).allowed()).isFalse();
        assertThat(oracle.predict("outside/client", "backend/db", HTTP).ingress().allowedBy())
                .isEqualTo("backend/open-8080 ingress rule 0 (from anywhere on [TCP/8080])");
    }

    @Test
    void policyAppliesOnlyToPodsOfItsOwnNamespace() {
        // selects pod=api, but lives in frontend: backend/api stays open
        PolicyOracle oracle = oracle(SHOP, """
                metadata: {name: deny-api, namespace: frontend}
                spec:
                  podSelector: {matchLabels: {pod: api}}
                  policyTypes: [Ingress, Egress]
                """);
        assertGrid(oracle, HTTP, """
                TCP/8080       frontend/web backend/api backend/db outside/client
                frontend/web   -            .           .          .
                backend/api    .            -           .          .
                backend/db     .            .           -          .
                outside/client .            .           .          -
                """);
    }

    @Test
    void podSelectorOnlyPeerMeansThePolicyNamespaceAndEmptyNamespaceSelectorMeansAll() {
        PolicyOracle own = oracle(SHOP, """
                metadata: {name: from-any-pod-here, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress: [{from: [{podSelector: {}}]}]
                """);
        assertThat(own.predict("backend/api", "backend/db", HTTP).allowed()).isTrue();
        assertThat(own.predict("frontend/web", "backend/db", HTTP).allowed()).isFalse();

        PolicyOracle all = oracle(SHOP, """
                metadata: {name: from-any-namespace, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress: [{from: [{namespaceSelector: {}}]}]
                """);
        assertThat(all.predict("frontend/web", "backend/db", HTTP).allowed()).isTrue();
        assertThat(all.predict("outside/client", "backend/db", HTTP).allowed()).isTrue();
        // a pod selector is not an ipBlock: addresses outside the topology never match it
        assertThat(all.predictIngressFrom("10.1.1.1", PodId.of("backend/db"), HTTP).allowed()).isFalse();
    }

    @Test
    void matchExpressionsOperators() {
        Topology t = SHOP.withPodLabels("frontend/web", Map.of("tier", "web"))
                .withPodLabels("outside/client", Map.of("tier", "batch"));
        PolicyOracle oracle = oracle(t, """
                metadata: {name: exprs, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress:
                  - from:
                    - namespaceSelector: {}
                      podSelector:
                        matchExpressions:
                        - {key: tier, operator: Exists}
                        - {key: tier, operator: NotIn, values: [batch]}
                    - podSelector:
                        matchExpressions:
                        - {key: tier, operator: DoesNotExist}
                        - {key: pod, operator: In, values: [api, other]}
                """);
        assertThat(oracle.predict("frontend/web", "backend/db", HTTP).allowed()).isTrue();
        assertThat(oracle.predict("outside/client", "backend/db", HTTP).allowed()).isFalse();
        assertThat(oracle.predict("backend/api", "backend/db", HTTP).allowed()).isTrue();
        assertThat(oracle.predict("backend/api", "backend/db", HTTP).ingress().allowedBy())
                .isEqualTo("backend/exprs ingress rule 0, peer 1 (podSelector !tier,pod in (api,other) in backend)");
    }

    @Test
    void invalidSelectorOperatorIsAnInputError() {
        assertThatThrownBy(() -> oracle(SHOP, """
                metadata: {name: bad-op, namespace: backend}
                spec:
                  podSelector: {matchExpressions: [{key: pod, operator: Equals, values: [db]}]}
                """)).isInstanceOf(PolicyInputException.class)
                .hasMessageContaining("backend/bad-op")
                .hasMessageContaining("spec.podSelector.matchExpressions[0]")
                .hasMessageContaining("'Equals'");
    }

    @Test
    void policyWithoutNamespaceIsAnInputErrorForTheOracle() {
        assertThatThrownBy(() -> oracle(SHOP, """
                metadata: {name: nowhere}
                spec: {podSelector: {}}
                """)).isInstanceOf(PolicyInputException.class).hasMessageContaining("metadata.namespace is missing");
    }

    @Test
    void ipBlockMatchesPodIpsWithExceptAndNeverAPodWithoutIp() {
        Topology t = SHOP.withIp("frontend/web", "10.42.0.5")
                .withIp("outside/client", "10.42.1.7")
                .withIp("backend/api", "fd00:10:42::9");
        PolicyOracle oracle = oracle(t, """
                metadata: {name: cidrs, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress:
                  - from:
                    - ipBlock: {cidr: 10.42.0.0/16, except: [10.42.1.0/24]}
                    - ipBlock: {cidr: "fd00:10:42::/64"}
                """);
        assertGrid(oracle, HTTP, """
                TCP/8080       frontend/web backend/api backend/db outside/client
                frontend/web   -            .           .          .
                backend/api    .            -           .          .
                backend/db     .            .           -          .
                outside/client .            .           X          -
                """);
        // without the IPs nothing matches the ipBlocks
        assertThat(oracle(SHOP, """
                metadata: {name: cidrs, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
                """).predict("frontend/web", "backend/db", HTTP).allowed()).isFalse();
        assertThat(oracle.predict("backend/api", "backend/db", HTTP).ingress().allowedBy())
                .isEqualTo("backend/cidrs ingress rule 0, peer 1 (ipBlock fd00:10:42::/64)");
    }

    @Test
    void egressToExternalAddresses() {
        PolicyOracle oracle = oracle(SHOP, """
                metadata: {name: internet-only, namespace: backend}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 192.168.0.0/16]}}]
                    ports: [{port: 443}, {port: 53, protocol: UDP}, {port: https-named}]
                """);
        PodId api = PodId.of("backend/api");
        assertThat(oracle.predictEgressTo(api, "93.184.216.34", Port.tcp(443)).allowed()).isTrue();
        assertThat(oracle.predictEgressTo(api, "8.8.8.8", Port.udp(53)).allowed()).isTrue();
        assertThat(oracle.predictEgressTo(api, "8.8.8.8", Port.tcp(53)).allowed()).isFalse();
        assertThat(oracle.predictEgressTo(api, "10.43.0.10", Port.udp(53)).allowed()).isFalse();
        assertThat(oracle.predictEgressTo(api, "192.168.1.1", Port.tcp(443)).egress().summary())
                .isEqualTo("isolated for egress by [backend/internet-only]; no egress rule allows 192.168.1.1 on TCP/443");
        // from an unisolated pod anything goes
        assertThat(oracle.predictEgressTo(PodId.of("frontend/web"), "10.0.0.1", Port.tcp(1)).allowed()).isTrue();
        assertThat(oracle.predictEgressTo(api, "2001:db8::1", Port.tcp(443)).allowed()).isFalse();
    }

    @Test
    void egressNamedPortResolvesAgainstEachDestination() {
        Topology t = Topology.of("app/client", "app/one", "app/two")
                .servingOn("app/one", Port.tcp(8080).named("http"))
                .servingOn("app/two", Port.tcp(9090).named("http"), Port.tcp(8080).named("alt"));
        PolicyOracle oracle = oracle(t, """
                metadata: {name: named-egress, namespace: app}
                spec:
                  podSelector: {matchLabels: {pod: client}}
                  policyTypes: [Egress]
                  egress: [{ports: [{port: http}]}]
                """);
        assertGrid(oracle, Port.tcp(8080), """
                TCP/8080   app/client app/one app/two
                app/client -          .       X
                app/one    .          -       .
                app/two    .          .       -
                """);
        assertGrid(oracle, Port.tcp(9090), """
                TCP/9090   app/client app/one app/two
                app/client -          X       .
                app/one    .          -       .
                app/two    .          .       -
                """);
        assertThat(oracle.predictEgressTo(PodId.of("app/client"), "1.1.1.1", Port.tcp(8080)).allowed()).isFalse();
    }

    @Test
    void protocolsAreSeparateAndEndPortIsInclusive() {
        Topology t = Topology.of("a/x", "a/y").serving(Port.tcp(90), Port.udp(90), Port.sctp(90));
        PolicyOracle oracle = oracle(t, """
                metadata: {name: ranges, namespace: a}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{port: 80, endPort: 90, protocol: SCTP}]}]
                """);
        assertThat(oracle.predict("a/x", "a/y", Port.sctp(90)).allowed()).isTrue();
        assertThat(oracle.predict("a/x", "a/y", Port.sctp(80)).allowed()).isTrue();
        assertThat(oracle.predict("a/x", "a/y", Port.sctp(91)).allowed()).isFalse();
        assertThat(oracle.predict("a/x", "a/y", Port.tcp(90)).allowed()).isFalse();
        assertThat(oracle.predict("a/x", "a/y", Port.udp(90)).allowed()).isFalse();
    }

    @Test
    void ruleWithProtocolButNoPortOpensAllPortsOfThatProtocol() {
        PolicyOracle oracle = oracle(SHOP, """
                metadata: {name: all-udp, namespace: backend}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{protocol: UDP}]}]
                """);
        assertThat(oracle.predict("frontend/web", "backend/db", Port.udp(5353)).allowed()).isTrue();
        assertThat(oracle.predict("frontend/web", "backend/db", Port.tcp(5353)).allowed()).isFalse();
    }

    @Test
    void selfTrafficIsExcluded() {
        PolicyOracle oracle = oracle(SHOP);
        assertThatThrownBy(() -> oracle.predict("backend/api", "backend/api", HTTP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itself");
        assertThat(oracle.predictAll(HTTP)).hasSize(12)
                .noneMatch(p -> p.from().equals(p.to()));
    }

    @Test
    void explanationsNameIsolatingPoliciesAndTheAllowingRule() {
        PolicyOracle oracle = oracle(SHOP, """
                metadata: {name: deny-all, namespace: backend}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """, """
                metadata: {name: db-allows-api, namespace: backend}
                spec:
                  podSelector: {matchLabels: {pod: db}}
                  ingress: [{from: [{podSelector: {matchLabels: {pod: api}}}], ports: [{port: 8080}]}]
                """);
        Prediction allowed = oracle.predict("backend/api", "backend/db", HTTP);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.ingress()).isEqualTo(new Explanation(true, List.of("backend/deny-all", "backend/db-allows-api"),
                "backend/db-allows-api ingress rule 0, peer 0 (podSelector pod=api in backend on [TCP/8080])",
                "allowed by backend/db-allows-api ingress rule 0, peer 0 (podSelector pod=api in backend on [TCP/8080])"));
        assertThat(allowed.egress().isolated()).isFalse();
        assertThat(allowed.egress().summary())
                .isEqualTo("backend/api is not isolated for egress (no policy with policyType Egress selects it)");

        Prediction blocked = oracle.predict("frontend/web", "backend/db", HTTP);
        assertThat(blocked.allowed()).isFalse();
        assertThat(blocked.ingress().allowedBy()).isNull();
        assertThat(blocked.why()).isEqualTo("ingress isolated for ingress by [backend/deny-all, backend/db-allows-api];"
                + " no ingress rule allows frontend/web on TCP/8080");
    }

    @Test
    void invalidPeersAndPortsAreInputErrors() {
        assertThatThrownBy(() -> oracle(SHOP, """
                metadata: {name: mixed, namespace: backend}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]
                """)).isInstanceOf(PolicyInputException.class).hasMessageContaining("spec.ingress[0].from[0]");
        assertThatThrownBy(() -> oracle(SHOP, """
                metadata: {name: bad-cidr, namespace: backend}
                spec:
                  podSelector: {}
                  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                """)).isInstanceOf(PolicyInputException.class).hasMessageContaining("spec.egress[0].to[0].ipBlock.cidr");
        assertThatThrownBy(() -> oracle(SHOP, """
                metadata: {name: bad-range, namespace: backend}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{port: 90, endPort: 80}]}]
                """)).isInstanceOf(PolicyInputException.class).hasMessageContaining("endPort 80 is below port 90");
    }
}
