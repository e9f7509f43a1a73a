package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.Policies;
import io.netconform.policy.PolicyFiles;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Protocol;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseGeneratorTest {

    static final Topology MODEL = SweepModel.withPlaceholderIps(SweepModel.topology(true));

    static List<SweepCase> cases(long seed, int n, Capabilities caps, List<String> include, List<String> exclude) {
        return new CaseGenerator(seed, MODEL, caps).generate(n, include, exclude);
    }

    static String yaml(List<SweepCase> cases) {
        return cases.stream().map(SweepCase::yaml).collect(Collectors.joining());
    }

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() {
        String first = yaml(cases(7, 40, Capabilities.all(), List.of(), List.of()));
        assertThat(yaml(cases(7, 40, Capabilities.all(), List.of(), List.of()))).isEqualTo(first);
        assertThat(yaml(cases(8, 40, Capabilities.all(), List.of(), List.of()))).isNotEqualTo(first);
        // case i does not depend on how many cases are asked for
        assertThat(yaml(cases(7, 10, Capabilities.all(), List.of(), List.of())))
                .isEqualTo(yaml(cases(7, 40, Capabilities.all(), List.of(), List.of()).subList(0, 10)));
    }

    @Test
    void twoHundredCasesCoverEveryValueOfEveryDimension() {
        Set<String> seen = new TreeSet<>();
        cases(1, 200, Capabilities.all(), List.of(), List.of()).forEach(c -> seen.addAll(c.tags()));
        CaseGenerator.DIMENSIONS.forEach((dimension, values) -> {
            for (String value : values) {
                assertThat(seen).as("dimension %s, value %s in %s", dimension, value, seen)
                        .anyMatch(tag -> tag.equals(value) || tag.endsWith("-" + value));
            }
        });
        // and each peer and port value in both directions
        assertThat(seen).containsAll(CaseGenerator.allTags().stream()
                .filter(t -> t.startsWith("ingress-") || t.startsWith("egress-")).toList());
    }

    @Test
    void everyCaseIsValidYamlThatPolicyFilesAndTheOracleAccept(@TempDir Path dir) throws Exception {
        for (SweepCase c : cases(3, 60, Capabilities.all(), List.of(), List.of())) {
            Path file = dir.resolve(c.name() + ".yaml");
            Files.writeString(file, c.yaml());
            List<NetworkPolicy> loaded = PolicyFiles.load(file);
            int expected = c.policies().size()
                    + (c.action() != null && c.action().kind() == SweepCase.ActionKind.POLICY_UPDATE ? 1 : 0);
            assertThat(loaded).as(c.yaml()).hasSize(expected);
            Topology after = c.action() == null ? MODEL : c.action().applyTo(MODEL);
            List<NetworkPolicy> policiesAfter = c.action() == null ? c.policies() : c.action().applyTo(c.policies());
            for (Port port : List.of(Port.tcp(80), Port.udp(81))) {
                assertThat(PolicyOracle.of(MODEL, c.policies()).reachability(port).pairs()).hasSize(72);
                assertThat(PolicyOracle.of(after, policiesAfter).reachability(port).pairs()).hasSize(72);
            }
        }
    }

    static final Set<PolicyKind> BOTH = Set.of(PolicyKind.NETWORK_POLICY, PolicyKind.CLUSTER_NETWORK_POLICY);

    static List<SweepCase> mixed(long seed, int n, Capabilities caps) {
        return new CaseGenerator(seed, MODEL, caps, BOTH).generate(n, List.of(), List.of());
    }

    @Test
    void withClusterNetworkPolicyTheSameSeedGivesTheSameCasesAndNetworkPolicyAloneIsUnchanged() {
        String first = yaml(mixed(7, 40, Capabilities.all()));
        assertThat(yaml(mixed(7, 40, Capabilities.all()))).isEqualTo(first).contains("kind: \"ClusterNetworkPolicy\"");
        assertThat(yaml(mixed(8, 40, Capabilities.all()))).isNotEqualTo(first);
        assertThat(yaml(mixed(7, 10, Capabilities.all()))).isEqualTo(yaml(mixed(7, 40, Capabilities.all()).subList(0, 10)));
        // the default kinds: the cases NetworkPolicy-only sweeps always had
        assertThat(yaml(new CaseGenerator(7, MODEL, Capabilities.all(), Set.of(PolicyKind.NETWORK_POLICY))
                .generate(40, List.of(), List.of()))).isEqualTo(yaml(cases(7, 40, Capabilities.all(), List.of(), List.of())));
        assertThat(cases(7, 40, Capabilities.all(), List.of(), List.of())).allSatisfy(c -> {
            assertThat(c.clusterPolicies()).isEmpty();
            assertThat(c.tags()).noneMatch(t -> t.startsWith("cnp-"));
        });
    }

    @Test
    void twoHundredMixedCasesCoverEveryClusterNetworkPolicyDimension() {
        List<SweepCase> cases = mixed(1, 200, Capabilities.all());
        Set<String> seen = new TreeSet<>();
        cases.forEach(c -> seen.addAll(c.tags()));
        ClusterPolicyCases.DIMENSIONS.forEach((dimension, values) -> assertThat(seen)
                .as("dimension %s", dimension).containsAll(values));
        // every case has cluster policies; the tier order needs NetworkPolicies beside them in most
        assertThat(cases).allSatisfy(c -> assertThat(c.clusterPolicies()).isNotEmpty());
        assertThat(cases.stream().filter(c -> !c.policies().isEmpty()).count()).isBetween(100L, 170L);
        // --include/--exclude know every tag a case carries
        assertThat(CaseGenerator.tags(BOTH)).containsAll(seen).isEqualTo(CaseGenerator.allTags());
        // the v1 dimensions still appear, and so do the actions a CNP-only case can take
        assertThat(seen).contains("deny-plus-allow", "egress-port-named", "action-pod-label", "action-ns-label");
    }

    @Test
    void clusterNetworkPolicyAloneGivesCasesWithoutNetworkPolicies() {
        List<SweepCase> cases = new CaseGenerator(4, MODEL, Capabilities.all(), Set.of(PolicyKind.CLUSTER_NETWORK_POLICY))
                .generate(50, List.of(), List.of());
        assertThat(cases).allSatisfy(c -> {
            assertThat(c.policies()).isEmpty();
            assertThat(c.clusterPolicies()).isNotEmpty();
            assertThat(c.tags()).contains("cnp-only");
            assertThat(CaseGenerator.tags(Set.of(PolicyKind.CLUSTER_NETWORK_POLICY))).containsAll(c.tags());
            if (c.action() != null) {
                assertThat(c.action().kind()).isIn(SweepCase.ActionKind.POD_LABEL, SweepCase.ActionKind.NAMESPACE_LABEL,
                        SweepCase.ActionKind.CLUSTER_POLICY_DELETE);
            }
        });
    }

    @Test
    void everyMixedCaseLoadsThroughPolicyFilesAndTheOracleReadsItAsGenerated(@TempDir Path dir) throws Exception {
        for (SweepCase c : mixed(3, 200, Capabilities.all())) {
            Path file = dir.resolve(c.name() + ".yaml");
            Files.writeString(file, c.yaml());
            Policies loaded = PolicyFiles.loadAll(file);
            boolean update = c.action() != null && c.action().kind() == SweepCase.ActionKind.POLICY_UPDATE;
            assertThat(loaded.networkPolicies()).as(c.yaml()).hasSize(c.policies().size() + (update ? 1 : 0));
            assertThat(loaded.clusterPolicies()).as(c.yaml()).hasSize(c.clusterPolicies().size());
            Topology after = c.action() == null ? MODEL : c.action().applyTo(MODEL);
            List<NetworkPolicy> policiesAfter = c.action() == null ? c.policies() : c.action().applyTo(c.policies());
            for (Port port : List.of(Port.tcp(80), Port.udp(81), new Port(80, Protocol.SCTP, null))) {
                // the YAML a person reads and the lab gets predicts what the generated objects predict
                Reachability generated = new PolicyOracle(MODEL, c.policies(), c.clusterPolicies()).reachability(port);
                Reachability read = new PolicyOracle(MODEL, loaded.networkPolicies().subList(0, c.policies().size()),
                        loaded.clusterPolicies()).reachability(port);
                assertThat(read.pairs()).hasSize(72);
                assertThat(read.diff(generated)).as("%s on %s", c.name(), port).isEmpty();
                List<ClusterPolicy> clusterAfter = c.action() == null ? c.clusterPolicies()
                        : c.action().applyToClusterPolicies(c.clusterPolicies());
                assertThat(new PolicyOracle(after, policiesAfter, clusterAfter).reachability(port).pairs()).hasSize(72);
            }
        }
    }

    @Test
    void aClusterNetworkPolicyDeleteRemovesExactlyThatPolicy() {
        List<SweepCase> deletes = mixed(6, 200, Capabilities.all()).stream().filter(c -> c.action() != null
                && c.action().kind() == SweepCase.ActionKind.CLUSTER_POLICY_DELETE).toList();
        assertThat(deletes).isNotEmpty().allSatisfy(c -> {
            assertThat(c.clusterPolicies()).extracting(ClusterPolicy::name).contains(c.action().target());
            assertThat(c.action().applyToClusterPolicies(c.clusterPolicies())).hasSize(c.clusterPolicies().size() - 1)
                    .extracting(ClusterPolicy::name).doesNotContain(c.action().target());
            assertThat(c.action().applyTo(c.policies())).isEqualTo(c.policies());
            assertThat(c.yaml()).contains("# then: delete ClusterNetworkPolicy " + c.action().target());
        });
    }

    @Test
    void noTwoClusterPoliciesOfOneTierShareAPriority() {
        for (SweepCase c : mixed(11, 200, Capabilities.all())) {
            for (ClusterPolicy.Tier tier : ClusterPolicy.Tier.values()) {
                List<Integer> priorities = c.clusterPolicies().stream().filter(p -> p.tier() == tier)
                        .map(ClusterPolicy::priority).toList();
                assertThat(priorities).as(c.yaml()).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isBetween(0, 1000));
            }
        }
    }

    @Test
    void clusterNetworkPolicyCasesDoNotUseWhatTheClusterLacks() {
        assertThat(mixed(2, 150, new Capabilities(false, false))).allSatisfy(c -> assertThat(c.tags())
                .doesNotContain("cnp-proto-sctp", "proto-sctp"));
    }

    @Test
    void aClusterNetworkPolicyTagNeedsItsKind() {
        assertThatThrownBy(() -> new Sweep.Settings(1, 5, List.of("cnp-tier-admin"), List.of(), null))
                .hasMessageContaining("cnp-tier-admin").hasMessageContaining("--kinds");
        assertThat(new Sweep.Settings(1, 5, List.of("cnp"), List.of(), null, BOTH).clusterPolicies()).isTrue();
        assertThat(new CaseGenerator(5, MODEL, Capabilities.all(), BOTH).generate(20, List.of("cnp-tier-baseline"), List.of()))
                .allSatisfy(c -> assertThat(c.tags()).contains("cnp-tier-baseline"));
        // and the other way round: cases with cluster policies alone have no NetworkPolicy dimension
        assertThatThrownBy(() -> new Sweep.Settings(1, 5, List.of("egress-port-named"), List.of(), null,
                Set.of(PolicyKind.CLUSTER_NETWORK_POLICY))).hasMessageContaining("egress-port-named");
        assertThat(new Sweep.Settings(1, 5, List.of("action-ns-label"), List.of(), null,
                Set.of(PolicyKind.CLUSTER_NETWORK_POLICY)).kinds()).containsExactly(PolicyKind.CLUSTER_NETWORK_POLICY);
        assertThatThrownBy(() -> PolicyKind.parse(List.of("networkpolicy", "anp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'anp'");
        assertThat(PolicyKind.parse(List.of())).containsExactly(PolicyKind.NETWORK_POLICY);
    }

    @Test
    void filtersKeepOnlyCasesWithAnIncludedTagAndNoExcludedOne() {
        List<SweepCase> named = cases(5, 30, Capabilities.all(), List.of("egress-port-named"), List.of("action"));
        assertThat(named).allSatisfy(c -> {
            assertThat(c.tags()).contains("egress-port-named");
            assertThat(c.tags()).noneMatch(t -> t.startsWith("action-"));
        });
        // a value without its direction names both directions
        assertThat(cases(5, 30, Capabilities.all(), List.of("peer-ipblock-except"), List.of()))
                .allSatisfy(c -> assertThat(c.tags()).anyMatch(t -> t.endsWith("-peer-ipblock-except")));
    }

    @Test
    void whatTheClusterCannotExpressIsNotGenerated() {
        List<SweepCase> cases = cases(2, 150, new Capabilities(false, false), List.of(), List.of());
        assertThat(cases).allSatisfy(c -> assertThat(c.tags()).doesNotContain("proto-sctp")
                .noneMatch(t -> t.endsWith("port-range")));
        assertThatThrownBy(() -> cases(2, 1, new Capabilities(false, false), List.of("port-range"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port-range").hasMessageContaining("endPort");
    }

    @Test
    void aFilterTermThatNamesNoTagIsRejected() {
        assertThatThrownBy(() -> CaseGenerator.checkTerms("--include", List.of("port-nmaed")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port-nmaed");
        CaseGenerator.checkTerms("--include", List.of("egress", "port-named", "types", "action-ns-label"));
    }

    @Test
    void ipBlocksAreCutFromThePodAddresses() {
        assertThat(CaseGenerator.commonPrefix(List.of("10.244.0.10", "10.244.1.11"))).isEqualTo(23);
        assertThat(CaseGenerator.network("10.244.1.11", 23)).isEqualTo("10.244.0.0");
        assertThat(CaseGenerator.network("10.244.1.11", 32)).isEqualTo("10.244.1.11");
    }

    @Test
    void aRelabelChangesWhatTheOracleExpectsWheneverSomeRelabelCan() {
        // a relabel no selector notices cannot catch a CNI that ignores label changes: the generator picks one that
        // matters where the case's policies let any (only cases whose selectors use tier or env can)
        List<SweepCase> relabels = cases(7, 120, Capabilities.all(), List.of(), List.of()).stream().filter(c -> c.action() != null
                && (c.action().kind() == SweepCase.ActionKind.POD_LABEL
                || c.action().kind() == SweepCase.ActionKind.NAMESPACE_LABEL)).toList();
        int couldMatter = 0;
        for (SweepCase c : relabels) {
            List<Map<String, String>> others = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            for (String ns : List.of("x", "y", "z")) {
                if (c.action().kind() == SweepCase.ActionKind.NAMESPACE_LABEL) {
                    targets.add(ns);
                    others.add(Map.of("env", ns.equals("z") ? "prod" : "dev"));
                } else {
                    for (String pod : List.of("a", "b", "c")) {
                        for (String tier : List.of("front", "back", "db")) {
                            targets.add(ns + "/" + pod);
                            others.add(Map.of("tier", tier));
                        }
                    }
                }
            }
            boolean any = false;
            for (int i = 0; i < targets.size() && !any; i++) {
                any = changes(c, new SweepCase.Action(c.action().kind(), targets.get(i), others.get(i), null));
            }
            if (any) {
                couldMatter++;
                assertThat(changes(c, c.action())).as("case %d: %s changes nothing though another relabel would",
                        c.number(), c.action().describe()).isTrue();
            }
        }
        assertThat(couldMatter).as("relabel cases whose policies see some relabel, of %d", relabels.size())
                .isGreaterThanOrEqualTo(3);
    }

    private static boolean changes(SweepCase c, SweepCase.Action action) {
        io.netconform.policy.PolicyOracle before = new io.netconform.policy.PolicyOracle(MODEL, c.policies(), c.clusterPolicies());
        io.netconform.policy.PolicyOracle after = new io.netconform.policy.PolicyOracle(action.applyTo(MODEL), c.policies(),
                c.clusterPolicies());
        return SweepModel.probedPorts(true).stream()
                .anyMatch(p -> !before.reachability(p).render().equals(after.reachability(p).render()));
    }
}
