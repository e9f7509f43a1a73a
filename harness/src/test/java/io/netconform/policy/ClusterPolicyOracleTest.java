package io.netconform.policy;

import static io.netconform.policy.PolicyCases.assertGrid;
import static io.netconform.policy.PolicyCases.mixed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The tiered semantics of ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy / BaselineAdminNetworkPolicy
 * (v1alpha1) together with v1 NetworkPolicy. Each subtle point cites where kubernetes-sigs/network-policy-api
 * decides it (apis/v1alpha2/clusternetworkpolicy_types.go = "types", conformance/tests/ = "conformance").
 */
class ClusterPolicyOracleTest {

    // x and y: two tenants; pods serve TCP/80 as "http", UDP/53 as "dns", TCP/8080 unnamed
    static final Topology XY = Topology.of("x/a", "x/b", "y/a", "y/b")
            .serving(Port.tcp(80).named("http"), Port.udp(53).named("dns"), Port.tcp(8080), Port.sctp(80))
            .withIp("x/a", "10.42.0.10").withIp("x/b", "10.42.0.11")
            .withIp("y/a", "10.42.1.10").withIp("y/b", "10.42.1.11");
    static final Port HTTP = Port.tcp(80);

    static String cnp(String name, String tier, int priority, String body) {
        return "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: " + name
                + "}\nspec:\n  tier: " + tier + "\n  priority: " + priority + "\n" + body;
    }

    static String np(String namespace, String name, String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec:\n" + spec;
    }

    static final String SUBJECT_Y = "  subject: {namespaces: {matchLabels: {ns: y}}}\n";
    static final String DENY_FROM_X = cnp("deny-x", "Admin", 20, SUBJECT_Y + """
              ingress:
              - {name: deny-from-x, action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}
            """);

    @Test
    void adminDenyWinsOverANetworkPolicyAllow() {
        PolicyOracle oracle = mixed(XY, DENY_FROM_X, np("y", "allow-all", "  podSelector: {}\n  ingress: [{}]\n"));
        assertGrid(oracle, HTTP, """
                TCP/80 x/a x/b y/a y/b
                x/a  -   .   X   X
                x/b  .   -   X   X
                y/a  .   .   -   .
                y/b  .   .   .   -
                """);
        assertThat(oracle.predict("x/a", "y/b", HTTP).ingress().summary())
                .isEqualTo("Admin ClusterNetworkPolicy deny-x rule \"deny-from-x\" Deny (from namespaces ns=x)");
    }

    @Test
    void passSkipsOnlyTheRestOfItsTierAndHandsOverToNetworkPolicy() {
        // conformance CNPAdminTierIntegration "pass-ingress ... respect the match for network policy": the lower-
        // precedence Admin Deny is skipped, the NetworkPolicy allow decides
        String pass = cnp("pass-x", "Admin", 10, SUBJECT_Y + """
                  ingress:
                  - {name: delegate-x, action: Pass, from: [{namespaces: {matchLabels: {ns: x}}}]}
                """);
        String npAllowsXa = np("y", "allow-xa", """
                  podSelector: {}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]}]
                """);
        PolicyOracle oracle = mixed(XY, pass, DENY_FROM_X, npAllowsXa);
        assertThat(oracle.predict("x/a", "y/b", HTTP).allowed()).isTrue();
        assertThat(oracle.predict("x/b", "y/b", HTTP).allowed()).as("isolated by the NetworkPolicy").isFalse();
        assertThat(oracle.predict("x/a", "y/b", HTTP).ingress().summary()).isEqualTo(
                "Admin ClusterNetworkPolicy pass-x rule \"delegate-x\" Pass (from namespaces ns=x)"
                        + " → NetworkPolicy y/allow-xa allows (ingress rule 0, peer 0 (namespaceSelector ns=x AND podSelector pod=a))");
    }

    @Test
    void passWithoutANetworkPolicyFallsToBaseline() {
        // conformance CNPAdminTierIntegration "pass-ingress ... respect the match for baseline cluster network policy"
        String pass = cnp("pass-x", "Admin", 10, SUBJECT_Y + """
                  ingress: [{name: delegate-x, action: Pass, from: [{namespaces: {matchLabels: {ns: x}}}]}]
                """);
        String baselineDeny = cnp("default", "Baseline", 10, SUBJECT_Y + """
                  ingress: [{name: deny-x, action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}]
                """);
        PolicyOracle oracle = mixed(XY, pass, baselineDeny);
        Prediction p = oracle.predict("x/a", "y/a", HTTP);
        assertThat(p.allowed()).isFalse();
        assertThat(p.ingress().steps()).containsExactly(
                "Admin ClusterNetworkPolicy pass-x rule \"delegate-x\" Pass (from namespaces ns=x)",
                "no NetworkPolicy isolates y/a for ingress from x/a",
                "Baseline ClusterNetworkPolicy default rule \"deny-x\" Deny (from namespaces ns=x)");
    }

    @Test
    void baselinePassLeavesTheDefaultAllow() {
        // types: Pass "Skips all further ClusterNetworkPolicy rules in the current tier" — after Baseline comes the default
        String baseline = cnp("default", "Baseline", 10, SUBJECT_Y + """
                  ingress:
                  - {name: pass-x, action: Pass, from: [{namespaces: {matchLabels: {ns: x}}}]}
                  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
                """);
        PolicyOracle oracle = mixed(XY, baseline);
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).isTrue();
        assertThat(oracle.predict("y/b", "y/a", HTTP).allowed()).as("second rule").isFalse();
        assertThat(oracle.predict("x/a", "y/a", HTTP).ingress().steps()).last().isEqualTo("allowed by default");
    }

    @Test
    void acceptDecidesOnlyItsOwnDirection() {
        // types, egress Accept: "No further egress ClusterNetworkPolicy or NetworkPolicy rules will be processed but
        // any ingress rules at the destination do apply"
        String acceptEgress = cnp("x-out", "Admin", 10, """
                  subject: {namespaces: {matchLabels: {ns: x}}}
                  egress: [{name: to-y, action: Accept, to: [{namespaces: {matchLabels: {ns: y}}}]}]
                """);
        String xDefaultDenyEgress = np("x", "deny-egress", "  podSelector: {}\n  policyTypes: [Egress]\n");
        String yDefaultDenyIngress = np("y", "deny-ingress", "  podSelector: {matchLabels: {pod: b}}\n  policyTypes: [Ingress]\n");
        PolicyOracle oracle = mixed(XY, acceptEgress, xDefaultDenyEgress, yDefaultDenyIngress);
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).as("Accept overrides x's egress isolation").isTrue();
        Prediction toB = oracle.predict("x/a", "y/b", HTTP);
        assertThat(toB.egress().allows()).isTrue();
        assertThat(toB.allowed()).as("y/b's ingress isolation still applies").isFalse();
        assertThat(oracle.predict("x/a", "x/b", HTTP).allowed()).as("no Accept inside x").isFalse();
    }

    @Test
    void networkPolicyIsolationHidesBaselineOnlyInTheIsolatedDirection() {
        // types Tier: "v1.NetworkPolicy always makes a final decision for selected pods"; the v1alpha1 blog
        // (site-src/blog/posts/Getting Started with ANP.md): isolated "egress ... will not be evaluated further against
        // BaselineAdminNetworkPolicy rules. The same applies for ingress direction traffic." — per direction
        String baseline = cnp("default", "Baseline", 10, SUBJECT_Y + """
                  ingress: [{name: allow-x, action: Accept, from: [{namespaces: {matchLabels: {ns: x}}}]}]
                  egress: [{name: deny-x, action: Deny, to: [{namespaces: {matchLabels: {ns: x}}}]}]
                """);
        // y/a isolated for ingress only, allowing nothing: Baseline's ingress Accept is hidden, its egress Deny is not
        String isolateIngress = np("y", "isolate-a", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n");
        PolicyOracle oracle = mixed(XY, baseline, isolateIngress);
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).as("ingress isolation beats Baseline Accept").isFalse();
        assertThat(oracle.predict("x/a", "y/b", HTTP).allowed()).as("y/b not isolated: Baseline Accept").isTrue();
        assertThat(oracle.predict("y/a", "x/a", HTTP).allowed()).as("egress not isolated: Baseline Deny").isFalse();
    }

    @Test
    void lowerPriorityNumberWinsThenRuleOrder() {
        // types: "Policies with lower priority values have higher precedence"; rules: "the order in which the rule is written"
        String accept = cnp("allow-xa", "Admin", 5, SUBJECT_Y + """
                  ingress: [{name: xa, action: Accept, from: [{pods: {namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}}]}]
                """);
        String ordered = cnp("deny-x", "Admin", 20, SUBJECT_Y + """
                  ingress:
                  - {name: first-accept-b, action: Accept, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}}]}
                  - {name: then-deny-x, action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}
                """);
        PolicyOracle oracle = mixed(XY, ordered, accept);
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).as("priority 5 Accept before priority 20 Deny").isTrue();
        assertThat(oracle.predict("x/b", "y/a", HTTP).allowed()).as("first rule Accepts x/b").isTrue();
        assertGrid(oracle, HTTP, """
                TCP/80 x/a x/b y/a y/b
                x/a  -   .   .   .
                x/b  .   -   .   .
                y/a  .   .   -   .
                y/b  .   .   .   -
                """);
    }

    @Test
    void podsPeerWithoutNamespaceSelectorSelectsEveryNamespace() {
        // types NamespacedPod.NamespaceSelector: "+optional ... if empty, it selects all Namespaces"; the CRD requires
        // podSelector only. Unlike a v1 podSelector peer there is no "own namespace" for a cluster-scoped policy.
        String denyB = cnp("deny-b", "Admin", 10, SUBJECT_Y + """
                  ingress: [{name: no-b, action: Deny, from: [{pods: {podSelector: {matchLabels: {pod: b}}}}]}]
                """);
        PolicyOracle oracle = mixed(XY, denyB);
        assertThat(oracle.predict("x/b", "y/a", HTTP).allowed()).as("pod b of another namespace").isFalse();
        assertThat(oracle.predict("y/b", "y/a", HTTP).allowed()).isFalse();
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).isTrue();
    }

    @Test
    void networksPeerCoversPodAddressesToo() {
        // types Networks: "cluster-internal traffic will be checked against the rule as well"; conformance
        // CNPAdminTierEgressInlineCIDRPeers: Deny 0.0.0.0/0 blocks pods of other namespaces, a pod IP /32 Accepts
        String egress = cnp("cidrs", "Admin", 10, """
                  subject: {pods: {namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}}
                  egress:
                  - {name: allow-y-a, action: Accept, to: [{networks: [10.42.1.10/32]}]}
                  - {name: deny-pods, action: Deny, to: [{networks: [0.0.0.0/0]}]}
                """);
        PolicyOracle oracle = mixed(XY, egress);
        assertGrid(oracle, HTTP, """
                TCP/80 x/a x/b y/a y/b
                x/a  -   X   .   X
                x/b  .   -   .   .
                y/a  .   .   -   .
                y/b  .   .   .   -
                """);
        assertThat(oracle.predictEgressTo(PodId.of("x/a"), "192.0.2.1", HTTP).allowed()).isFalse();
        assertThat(oracle.predictEgressTo(PodId.of("x/a"), "10.42.1.10", HTTP).egress().summary())
                .startsWith("Admin ClusterNetworkPolicy cidrs rule \"allow-y-a\" Accept (to networks [10.42.1.10/32])");
    }

    @Test
    void ingressPeersNeverMatchAddressesOutsideTheCluster() {
        // ingress peers are namespaces/pods only: traffic from a non-pod address is not matched by them
        PolicyOracle oracle = mixed(XY, cnp("deny-all", "Admin", 10, SUBJECT_Y + """
                  ingress: [{name: all-pods, action: Deny, from: [{namespaces: {}}]}]
                """));
        assertThat(oracle.predictIngressFrom("192.0.2.1", PodId.of("y/a"), HTTP).allowed()).isTrue();
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).isFalse();
    }

    @Test
    void protocolsPortsRangesAndNamedPorts() {
        String deny = cnp("ports", "Admin", 10, SUBJECT_Y + """
                  ingress:
                  - name: some-ports
                    action: Deny
                    from: [{namespaces: {}}]
                    protocols:
                    - tcp: {destinationPort: {number: 8080}}
                    - udp: {destinationPort: {range: {start: 50, end: 60}}}
                    - destinationNamedPort: http
                """);
        PolicyOracle oracle = mixed(XY, deny);
        assertThat(oracle.predict("x/a", "y/a", Port.tcp(8080)).allowed()).as("number").isFalse();
        assertThat(oracle.predict("x/a", "y/a", Port.udp(53)).allowed()).as("range").isFalse();
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).as("named port, TCP from the container port").isFalse();
        assertThat(oracle.predict("x/a", "y/a", Port.sctp(80)).allowed()).as("named port 'http' is TCP only").isTrue();
        assertThat(oracle.predict("x/a", "y/a", Port.udp(8080)).allowed()).as("tcp entry does not match UDP").isTrue();

        PolicyOracle everything = mixed(XY, cnp("all", "Admin", 10, SUBJECT_Y + """
                  ingress: [{name: no-protocols, action: Deny, from: [{namespaces: {}}]}]
                """));
        for (Port port : new Port[] {HTTP, Port.udp(53), Port.sctp(80), Port.tcp(8080)}) {
            assertThat(everything.predict("x/a", "y/a", port).allowed()).as("no protocols: %s", port).isFalse();
        }
    }

    @Test
    void egressNamedPortResolvesAgainstEachDestination() {
        Topology t = XY.servingOn("y/b", Port.tcp(9090).named("metrics"));
        PolicyOracle oracle = mixed(t, cnp("metrics", "Admin", 10, """
                  subject: {namespaces: {matchLabels: {ns: x}}}
                  egress: [{name: no-metrics, action: Deny, to: [{namespaces: {}}], protocols: [{destinationNamedPort: metrics}]}]
                """));
        assertThat(oracle.predict("x/a", "y/b", Port.tcp(9090)).allowed()).isFalse();
        assertThat(oracle.predict("x/a", "y/a", Port.tcp(9090)).allowed()).as("y/a has no port named metrics").isTrue();
    }

    @Test
    void v1alpha1AdminAndBaselineBehaveAsTheirTiers() {
        // apis/v1alpha1: ANP Allow/Deny/Pass before NetworkPolicy; BANP (singleton 'default') Allow/Deny after it
        String anp = """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: pass-x}
                spec:
                  priority: 10
                  subject: {namespaces: {matchLabels: {ns: y}}}
                  ingress:
                  - {name: pass-xa, action: Pass, from: [{pods: {namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}}]}
                  - name: allow-x-http
                    action: Allow
                    from: [{namespaces: {matchLabels: {ns: x}}}]
                    ports: [{portNumber: {protocol: TCP, port: 80}}, {portRange: {protocol: UDP, start: 50, end: 60}}]
                """;
        String banp = """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: BaselineAdminNetworkPolicy
                metadata: {name: default}
                spec:
                  subject: {namespaces: {}}
                  ingress: [{name: deny-x, action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}]
                """;
        PolicyOracle oracle = mixed(XY, anp, banp);
        assertThat(oracle.predict("x/a", "y/a", HTTP).allowed()).as("Pass → no NetworkPolicy → BANP Deny").isFalse();
        assertThat(oracle.predict("x/b", "y/a", HTTP).allowed()).as("ANP Allow").isTrue();
        assertThat(oracle.predict("x/b", "y/a", Port.udp(53)).allowed()).as("ANP Allow, port range").isTrue();
        assertThat(oracle.predict("x/b", "y/a", Port.tcp(8080)).allowed()).as("BANP Deny").isFalse();
        assertThat(oracle.predict("x/b", "y/a", HTTP).ingress().summary())
                .startsWith("Admin AdminNetworkPolicy pass-x rule \"allow-x-http\" Allow");
        assertThat(oracle.predict("x/a", "y/a", HTTP).ingress().summary()).endsWith(
                "Baseline BaselineAdminNetworkPolicy default rule \"deny-x\" Deny (from namespaces ns=x)");
    }

    @Test
    void unnamedRulesAreNamedByPosition() {
        PolicyOracle oracle = mixed(XY, cnp("anon", "Admin", 10, SUBJECT_Y + """
                  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: x}}}]}]
                """));
        assertThat(oracle.predict("x/a", "y/a", HTTP).ingress().summary())
                .isEqualTo("Admin ClusterNetworkPolicy anon rule ingress[0] Deny (from namespaces ns=x)");
    }

    @Test
    void withoutClusterPoliciesExplanationsStayNetworkPolicyOnly() {
        PolicyOracle oracle = mixed(XY, np("y", "deny", "  podSelector: {}\n"));
        Explanation e = oracle.predict("x/a", "y/a", HTTP).ingress();
        assertThat(e.steps()).isEmpty();
        assertThat(e.summary()).startsWith("isolated for ingress by [y/deny]");
        assertThat(e.allows()).isFalse();
    }
}
