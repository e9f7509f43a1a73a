package io.netconform.scenarios.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Policies;
import io.netconform.policy.PolicyFiles;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The policy suites (tags {@code policy} and {@code clusterpolicy}) without a cluster: every case runs against {@link Scenario#dryRun}, which checks the case's
 * written expectation against the policy oracle and stops before probing. A case whose expectation the oracle does
 * not share fails here, long before anyone blames a CNI for it.
 */
class PolicyCasesOfflineTest {

    static final Path POLICIES = Path.of(System.getProperty("netconform.policies", "../policies"));

    static List<Class<?>> policySuites() {
        return ReflectionSupport.findAllClassesInPackage("io.netconform.scenarios",
                c -> AnnotationSupport.isAnnotated(c, ConformanceSuite.class)
                        && (c.getPackageName().endsWith(".policy") || c.getPackageName().endsWith(".clusterpolicy"))
                        && AnnotationSupport.findRepeatableAnnotations(c, Tag.class).stream()
                        .anyMatch(t -> t.value().equals("policy") || t.value().equals("clusterpolicy")),
                name -> true);
    }

    static List<Method> cases(Class<?> suite) {
        return AnnotationSupport.findAnnotatedMethods(suite, Test.class, HierarchyTraversalMode.TOP_DOWN);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseExpectationAgreesWithTheOracle() {
        List<Class<?>> suites = policySuites();
        // a scan that finds nothing would pass vacuously
        assertThat(suites).extracting(Class::getSimpleName).contains("DefaultDenyTest", "AllowByLabelTest",
                "MultiTierTest", "EgressTest", "PortsTest", "PolicyLifecycleTest", "ClusterNetworkPolicyTest",
                "AdminNetworkPolicyTest");
        return suites.stream().flatMap(suite -> cases(suite).stream().map(method -> {
            String name = suite.getSimpleName() + "." + method.getName();
            return dynamicTest(name, () -> {
                assertThat(method.getParameterTypes()).as("%s takes exactly one Scenario", name)
                        .containsExactly(Scenario.class);
                Object instance = ReflectionSupport.newInstance(suite);
                ReflectionSupport.invokeMethod(method, instance, Scenario.dryRun(name));
            });
        }));
    }

    @Test
    void policySuitesHoldTheCasesTheIssueAsksFor() {
        List<String> names = policySuites().stream().flatMap(s -> cases(s).stream()
                .map(m -> s.getSimpleName() + "." + m.getName())).sorted().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(14);
        // the issue's cluster-policy cases: each tier and action, Pass to both lower tiers, priority, peers, ports
        assertThat(names).contains("ClusterNetworkPolicyTest.adminDenyBeatsNetworkPolicy",
                "ClusterNetworkPolicyTest.adminAcceptThroughDefaultDeny", "ClusterNetworkPolicyTest.passHandsOverToNetworkPolicy",
                "ClusterNetworkPolicyTest.passHandsOverToBaseline", "ClusterNetworkPolicyTest.priorityThenRuleOrder",
                "ClusterNetworkPolicyTest.baselineOnlyWhereNoNetworkPolicyIsolates",
                "ClusterNetworkPolicyTest.networksPeerCoversPodCidrs", "ClusterNetworkPolicyTest.namedPort",
                "ClusterNetworkPolicyTest.protocolsAreMatchedSeparately", "ClusterNetworkPolicyTest.sctp",
                "AdminNetworkPolicyTest.passToBaselineAndAllow");
    }

    @Test
    void aWrongExpectationFailsTheDryRunAsAHarnessBug() {
        Topology topology = Topology.of("frontend/web", "backend/api").serving(Port.tcp(8080));
        Scenario scenario = Scenario.dryRun("wrong-on-purpose").deploy(topology).apply("default-deny/ingress.yaml");

        // forgets that the backend is closed
        assertThatThrownBy(() -> scenario.verify(Port.tcp(8080), Reachability.allAllowed(topology, Port.tcp(8080))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[harness] wrong-on-purpose: the case's expectation and the policy oracle disagree on TCP/8080")
                .hasMessageContaining("frontend/web -> backend/api   expected ALLOWED, got BLOCKED");
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(POLICIES)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).as("YAML files under %s", POLICIES.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(15);
        return files.stream().map(file -> dynamicTest(POLICIES.relativize(file).toString(), () -> {
            if (POLICIES.relativize(file).startsWith("models")) {
                // topology models for `netconform predict`, not policies
                assertThat(Topology.fromModelYaml(file).pods()).isNotEmpty();
                return;
            }
            Policies all = PolicyFiles.loadAll(file);
            assertThat(all.isEmpty()).as("policies in %s", file).isFalse();
            List<NetworkPolicy> policies = all.networkPolicies();
            assertThat(policies).allSatisfy(p -> assertThat(p.getMetadata().getNamespace())
                            .as("%s: metadata.namespace (the logical namespace the case maps to a real one)",
                                    p.getMetadata().getName()).isNotBlank());
        }));
    }
}
