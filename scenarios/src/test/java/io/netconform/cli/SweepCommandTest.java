package io.netconform.cli;

import org.junit.jupiter.api.Test;

import static io.netconform.cli.NetconformCliTest.netconform;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code netconform sweep} without a cluster: the printed cases, and bad input as exit 2 with the offending value. */
class SweepCommandTest {

    @Test
    void printShowsTheSameCasesForTheSameSeed() {
        NetconformCliTest.Result first = netconform("sweep", "--seed", "9", "--cases", "6", "--print");
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.out()).contains("# case-001 (seed 9): ", "# case-006 (seed 9): ", "kind: \"NetworkPolicy\"");
        assertThat(netconform("sweep", "--seed", "9", "--cases", "6", "--print").out()).isEqualTo(first.out());
        assertThat(netconform("sweep", "--seed", "10", "--cases", "6", "--print").out()).isNotEqualTo(first.out());
    }

    @Test
    void onlyPrintsThatCaseOfTheSeedAndFiltersApply() {
        NetconformCliTest.Result all = netconform("sweep", "--seed", "9", "--cases", "6", "--print");
        NetconformCliTest.Result one = netconform("sweep", "--seed", "9", "--only", "4", "--print");
        String case4 = all.out().substring(all.out().indexOf("# case-004"), all.out().indexOf("# case-005"));
        assertThat(one.out()).contains(case4);
        NetconformCliTest.Result egress = netconform("sweep", "--seed", "9", "--cases", "5", "--include", "egress-port-named", "--print");
        assertThat(egress.out().lines().filter(l -> l.startsWith("# case-"))).hasSize(5)
                .allSatisfy(l -> assertThat(l).contains("egress-port-named"));
    }

    @Test
    void kindsAddClusterNetworkPoliciesToThePrintedCases() {
        NetconformCliTest.Result mixed = netconform("sweep", "--seed", "9", "--cases", "6", "--print",
                "--kinds", "networkpolicy,clusternetworkpolicy");
        assertThat(mixed.exitCode()).as(mixed.describe()).isZero();
        assertThat(mixed.out()).contains("kind: \"ClusterNetworkPolicy\"", "apiVersion: \"policy.networking.k8s.io/v1alpha2\"",
                "tier: \"Admin\"").contains("cnp-");
        assertThat(netconform("sweep", "--seed", "9", "--cases", "6", "--print", "--kinds", "clusternetworkpolicy,networkpolicy")
                .out()).isEqualTo(mixed.out());
        NetconformCliTest.Result only = netconform("sweep", "--seed", "9", "--cases", "6", "--print", "--kinds", "clusternetworkpolicy");
        assertThat(only.out()).contains("kind: \"ClusterNetworkPolicy\"").doesNotContain("kind: \"NetworkPolicy\"");
        assertThat(netconform("sweep", "--seed", "9", "--cases", "6", "--print", "--kinds", "networkpolicy").out())
                .isEqualTo(netconform("sweep", "--seed", "9", "--cases", "6", "--print").out());
    }

    @Test
    void badInputExitsTwoNamingTheValue() {
        for (String[] args : new String[][] {
                {"sweep", "--include", "port-nmaed", "--print"},
                {"sweep", "--cases", "0", "--print"},
                {"sweep", "--only", "0", "--print"},
                {"sweep", "--run-id", "Not_A_Label", "--print"},
                {"sweep", "--seed", "banana"},
                {"sweep", "--kinds", "networkpolicy,banana", "--print"},
                {"sweep", "--include", "cnp-tier-banana", "--kinds", "clusternetworkpolicy", "--print"},
                {"sweep", "--include", "cnp-tier-admin", "--print"},
                {"sweep", "--confirm", "soon", "--print"},
                {"sweep", "--confirm", "-2s", "--print"}}) {
            NetconformCliTest.Result r = netconform(args);
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
            assertThat(r.err()).as(r.describe()).containsAnyOf("port-nmaed", "--cases", "--only", "Not_A_Label", "banana", "--kinds", "soon", "--confirm")
                    .doesNotContain("\tat ");
        }
    }
}
