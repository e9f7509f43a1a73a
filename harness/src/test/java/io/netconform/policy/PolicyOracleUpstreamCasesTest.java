package io.netconform.policy;

import static io.netconform.policy.PolicyCases.assertGrid;
import static io.netconform.policy.PolicyCases.oracle;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The upstream Kubernetes e2e NetworkPolicy cases (test/e2e/network/netpol/network_policy.go), on the
 * x/y/z model. Expected grids are written out: rows = from, columns = to.
 */
class PolicyOracleUpstreamCasesTest {

    static final Topology XYZ = Topology.standard();

    @Test
    void noPoliciesAllowEverything() {
        assertGrid(oracle(XYZ), Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     .   -   .   .   .   .   .   .   .
                x/c     .   .   -   .   .   .   .   .   .
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     .   .   .   .   .   .   -   .   .
                z/b     .   .   .   .   .   .   .   -   .
                z/c     .   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void denyAllIngressInXBlocksEverythingIntoX() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: deny-ingress, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   X   X   .   .   .   .   .   .
                x/b     X   -   X   .   .   .   .   .   .
                x/c     X   X   -   .   .   .   .   .   .
                y/a     X   X   X   -   .   .   .   .   .
                y/b     X   X   X   .   -   .   .   .   .
                y/c     X   X   X   .   .   -   .   .   .
                z/a     X   X   X   .   .   .   -   .   .
                z/b     X   X   X   .   .   .   .   -   .
                z/c     X   X   X   .   .   .   .   .   -
                """);
    }

    @Test
    void allowIngressToXaFromNamespaceY() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-from-y, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {ns: y}}
                """);
        assertGrid(oracle, Port.udp(81), """
                UDP/81 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void namespaceAndPodSelectorInOnePeerAreAnded() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-yb-only, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [y]}]}
                      podSelector: {matchLabels: {pod: b}}
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     X   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     X   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void separatePeersAreOred() {
        // the same two selectors as above, one list item each: y/* OR pods labelled b in x itself
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-y-or-b, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [y]}]}
                    - podSelector: {matchLabels: {pod: b}}
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     .   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void denyAllEgressFromXBlocksEverythingOutOfX() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: deny-egress, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                """);
        assertGrid(oracle, Port.sctp(80), """
                SCTP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   X   X   X   X   X   X   X   X
                x/b     X   -   X   X   X   X   X   X   X
                x/c     X   X   -   X   X   X   X   X   X
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     .   .   .   .   .   .   -   .   .
                z/b     .   .   .   .   .   .   .   -   .
                z/c     .   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void allowIngressOnOnePortOnly() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-81, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - ports: [{port: 81}]
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     X   .   .   -   .   .   .   .   .
                y/b     X   .   .   .   -   .   .   .   .
                y/c     X   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
        assertGrid(oracle, Port.tcp(81), allAllowedGrid("TCP/81"));
        // protocol defaults to TCP: UDP/81 is not opened by this rule
        assertGrid(oracle, Port.udp(81), oracleGridIntoXaBlocked("UDP/81"));
    }

    @Test
    void namedPortResolvesOnTheDestination() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-named, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - ports: [{port: serve-81-udp, protocol: UDP}]
                """);
        assertGrid(oracle, Port.udp(81), allAllowedGrid("UDP/81"));
        assertGrid(oracle, Port.udp(80), oracleGridIntoXaBlocked("UDP/80"));
        assertGrid(oracle, Port.tcp(81), oracleGridIntoXaBlocked("TCP/81"));
    }

    @Test
    void endPortOpensARange() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-range, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - ports: [{port: 81, endPort: 90, protocol: TCP}]
                """);
        assertGrid(oracle, Port.tcp(81), allAllowedGrid("TCP/81"));
        assertGrid(oracle, Port.tcp(80), oracleGridIntoXaBlocked("TCP/80"));
    }

    @Test
    void policiesSelectingThePodAreUnioned() {
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: allow-from-y, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                """, """
                metadata: {name: allow-from-zc, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: z}}, podSelector: {matchLabels: {pod: c}}}]}]
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   X   X   .   .   .   .   .   .
                x/b     X   -   X   .   .   .   .   .   .
                x/c     X   X   -   .   .   .   .   .   .
                y/a     .   X   X   -   .   .   .   .   .
                y/b     .   X   X   .   -   .   .   .   .
                y/c     .   X   X   .   .   -   .   .   .
                z/a     X   X   X   .   .   .   -   .   .
                z/b     X   X   X   .   .   .   .   -   .
                z/c     .   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void namespaceLabelChangeOpensAccess() {
        String policy = """
                metadata: {name: allow-updated-ns, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]
                """;
        assertGrid(oracle(XYZ, policy), Port.tcp(80), oracleGridIntoXaBlocked("TCP/80"));
        assertGrid(oracle(XYZ.withNamespaceLabels("y", Map.of("ns2", "updated")), policy), Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void podLabelChangeOpensAccess() {
        String policy = """
                metadata: {name: allow-updated-pod, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod2: updated}}}]}]
                """;
        assertGrid(oracle(XYZ, policy), Port.tcp(80), oracleGridIntoXaBlocked("TCP/80"));
        assertGrid(oracle(XYZ.withPodLabels("z/b", Map.of("pod2", "updated")), policy), Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     X   .   .   -   .   .   .   .   .
                y/b     X   .   .   .   -   .   .   .   .
                y/c     X   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     .   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """);
    }

    @Test
    void egressAllowedButIngressDeniedIsBlocked() {
        // x may only talk to y; y/b accepts only from its own namespace: x -> y/b needs both and fails.
        // egress-to-y omits policyTypes, so Ingress is inferred as well: x is closed for ingress too.
        PolicyOracle oracle = oracle(XYZ, """
                metadata: {name: egress-to-y, namespace: x}
                spec:
                  podSelector: {}
                  egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                """, """
                metadata: {name: yb-from-y, namespace: y}
                spec:
                  podSelector: {matchLabels: {pod: b}}
                  ingress: [{from: [{podSelector: {}}]}]
                """);
        assertGrid(oracle, Port.tcp(80), """
                TCP/80 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   X   X   .   X   .   X   X   X
                x/b     X   -   X   .   X   .   X   X   X
                x/c     X   X   -   .   X   .   X   X   X
                y/a     X   X   X   -   .   .   .   .   .
                y/b     X   X   X   .   -   .   .   .   .
                y/c     X   X   X   .   .   -   .   .   .
                z/a     X   X   X   .   X   .   -   .   .
                z/b     X   X   X   .   X   .   .   -   .
                z/c     X   X   X   .   X   .   .   .   -
                """);
    }

    static String allAllowedGrid(String port) {
        return port + """
                 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     .   -   .   .   .   .   .   .   .
                x/c     .   .   -   .   .   .   .   .   .
                y/a     .   .   .   -   .   .   .   .   .
                y/b     .   .   .   .   -   .   .   .   .
                y/c     .   .   .   .   .   -   .   .   .
                z/a     .   .   .   .   .   .   -   .   .
                z/b     .   .   .   .   .   .   .   -   .
                z/c     .   .   .   .   .   .   .   .   -
                """;
    }

    /** Everything allowed except into x/a. */
    static String oracleGridIntoXaBlocked(String port) {
        return port + """
                 x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a     -   .   .   .   .   .   .   .   .
                x/b     X   -   .   .   .   .   .   .   .
                x/c     X   .   -   .   .   .   .   .   .
                y/a     X   .   .   -   .   .   .   .   .
                y/b     X   .   .   .   -   .   .   .   .
                y/c     X   .   .   .   .   -   .   .   .
                z/a     X   .   .   .   .   .   -   .   .
                z/b     X   .   .   .   .   .   .   -   .
                z/c     X   .   .   .   .   .   .   .   -
                """;
    }
}
