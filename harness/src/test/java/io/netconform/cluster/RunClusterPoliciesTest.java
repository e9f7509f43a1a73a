package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Cluster-scoped policies of a run: labelled, deleted on close, on failure and on Ctrl-C, and found by gc. */
@EnableKubernetesMockClient(crud = true)
class RunClusterPoliciesTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    static final RunClusterPolicies.Kind CNP = RunClusterPolicies.CLUSTER_NETWORK_POLICY;

    @BeforeEach
    void clusterScopedKinds() {
        for (RunClusterPolicies.Kind kind : RunClusterPolicies.KINDS) {
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(kind.group())
                    .withVersion(kind.apiVersion().substring(kind.apiVersion().indexOf('/') + 1))
                    .withKind(kind.kind()).withPlural(kind.plural()).withScope("Cluster").build());
        }
    }

    @AfterEach
    void emptyTheServer() {
        policies().forEach(p -> client.genericKubernetesResources(CNP.apiVersion(), CNP.kind())
                .withName(p.getMetadata().getName()).delete());
        client.namespaces().list().getItems().forEach(ns -> client.resource(ns).withGracePeriod(0).delete());
    }

    static GenericKubernetesResource cnp(String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion(CNP.apiVersion()).withKind(CNP.kind())
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("tier", "Admin", "priority", 10)).build();
    }

    static List<GenericKubernetesResource> policies() {
        return client.genericKubernetesResources(CNP.apiVersion(), CNP.kind()).list().getItems();
    }

    @Test
    void createsLabelledPoliciesAndDeletesThemOnClose() {
        Instant before = Instant.now();
        try (RunClusterPolicies run = new RunClusterPolicies(client, new RunId("nc-aaaaaa"), Duration.ofHours(2))) {
            String name = run.clusterName(CNP, "deny-db");
            assertThat(name).isEqualTo("nc-aaaaaa-deny-db");
            run.create(cnp(name), "ClusterNetworkPolicyTest.adminDenyBeatsNetworkPolicy()");

            GenericKubernetesResource stored = policies().get(0);
            assertThat(stored.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
                    RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER, RunNamespaces.RUN, "nc-aaaaaa",
                    RunNamespaces.TEST, "ClusterNetworkPolicyTest.adminDenyBeatsNetworkPolicy"));
            assertThat(Instant.parse(stored.getMetadata().getAnnotations().get(RunNamespaces.EXPIRES)))
                    .isCloseTo(before.plus(Duration.ofHours(2)), within(Duration.ofSeconds(30)));
            assertThat(run.names()).containsExactly("ClusterNetworkPolicy/nc-aaaaaa-deny-db");
        }
        assertThat(policies()).isEmpty();
    }

    @Test
    void aFailingTestStillDeletesThem() {
        assertThatThrownBy(() -> {
            try (RunClusterPolicies run = new RunClusterPolicies(client, new RunId("nc-bbbbbb"), Duration.ofHours(1))) {
                run.create(cnp("nc-bbbbbb-a"), "T.fails");
                run.create(cnp("nc-bbbbbb-b"), "T.fails");
                throw new IllegalStateException("probe exec failed");
            }
        }).hasMessage("probe exec failed");
        assertThat(policies()).isEmpty();
    }

    @Test
    void ctrlCDeletesThemThroughTheShutdownHook() {
        RunClusterPolicies run = new RunClusterPolicies(client, new RunId("nc-cccccc"), Duration.ofHours(1));
        run.create(cnp("nc-cccccc-a"), "T.interrupted");

        run.deleteOnShutdown(); // what the JVM's shutdown hook runs on SIGINT

        assertThat(policies()).isEmpty();
        run.close(); // nothing left to delete, no error
    }

    @Test
    void deletingOneLeavesTheOthers() {
        try (RunClusterPolicies run = new RunClusterPolicies(client, new RunId("nc-dddddd"), Duration.ofHours(1))) {
            run.create(cnp("nc-dddddd-a"), "T.one");
            run.create(cnp("nc-dddddd-b"), "T.two");
            run.delete("ClusterNetworkPolicy", "nc-dddddd-a");
            assertThat(policies()).extracting(p -> p.getMetadata().getName()).containsExactly("nc-dddddd-b");
            assertThatThrownBy(() -> run.delete("ClusterNetworkPolicy", "someone-elses"))
                    .hasMessageContaining("was not created by run nc-dddddd");
        }
    }

    @Test
    void gcCollectsExpiredAndOrphanedPoliciesOnly() {
        // a live run: its namespace exists, its policy has not expired
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("nc-live00-x")
                .addToLabels(RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER).addToLabels(RunNamespaces.RUN, "nc-live00")
                .endMetadata().build()).create();
        new RunClusterPolicies(client, new RunId("nc-live00"), Duration.ofHours(1)).create(cnp("nc-live00-keep"), "T.live");
        // a killed run: no namespace left (its subjects select nothing), not yet expired
        new RunClusterPolicies(client, new RunId("nc-dead00"), Duration.ofHours(1)).create(cnp("nc-dead00-orphan"), "T.dead");
        // the live run's expired policy, and someone else's policy without our labels
        new RunClusterPolicies(client, new RunId("nc-live00"), Duration.ofSeconds(-1)).create(cnp("nc-live00-old"), "T.old");
        client.genericKubernetesResources(CNP.apiVersion(), CNP.kind()).resource(cnp("platform-team")).create();

        assertThat(RunClusterPolicies.gc(client, Instant.now(), true))
                .containsExactlyInAnyOrder("ClusterNetworkPolicy/nc-dead00-orphan", "ClusterNetworkPolicy/nc-live00-old");
        assertThat(policies()).hasSize(4);

        assertThat(RunClusterPolicies.gc(client, Instant.now(), false)).hasSize(2);
        assertThat(policies()).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("nc-live00-keep", "platform-team");
    }

    @Test
    void aMissingKindIsNamedWithTheGenerationTheClusterServesInstead() {
        assertThat(RunClusterPolicies.notServed(RunClusterPolicies.ADMIN_NETWORK_POLICY, true)).contains(
                "AdminNetworkPolicy API (policy.networking.k8s.io/v1alpha1) not installed; this cluster serves ClusterNetworkPolicy v1alpha2");
        assertThat(RunClusterPolicies.notServed(RunClusterPolicies.BASELINE_ADMIN_NETWORK_POLICY, true))
                .contains("BaselineAdminNetworkPolicy API (policy.networking.k8s.io/v1alpha1) not installed");
        // no generation at all: the reason the suites and the lab tests look for
        assertThat(RunClusterPolicies.notServed(RunClusterPolicies.ADMIN_NETWORK_POLICY, false))
                .contains("ClusterNetworkPolicy API not installed").contains("AdminNetworkPolicy (policy.networking.k8s.io/v1alpha1)");
        assertThat(RunClusterPolicies.notServed(CNP, false)).startsWith("not supported by this CNI: ClusterNetworkPolicy API not installed");
    }

    @Test
    void namesStayWithinTheApiLimit() {
        RunClusterPolicies run = new RunClusterPolicies(client, new RunId("nc-eeeeee"), Duration.ofHours(1));
        assertThat(run.clusterName(CNP, "x".repeat(300))).hasSize(253).startsWith("nc-eeeeee-");
        assertThat(run.clusterName(RunClusterPolicies.BASELINE_ADMIN_NETWORK_POLICY, "default")).isEqualTo("default");
    }
}
