package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.cluster.RunId;
import io.netconform.cluster.RunNamespaces;
import io.netconform.policy.Topology;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sweep's ClusterNetworkPolicies on an API server (fabric8's mock, CRUD): created confined to the run, gone after
 * each case — also when creating one of them failed — and a leftover of the run holds the next case back.
 */
@EnableKubernetesMockClient(crud = true)
class CaseClusterPoliciesTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    static final RunClusterPolicies.Kind CNP = RunClusterPolicies.CLUSTER_NETWORK_POLICY;
    static final String RUN = "nc-5eeb01";
    static final Map<String, String> REAL = Map.of("x", RUN + "-x", "y", RUN + "-y", "z", RUN + "-z");

    RunClusterPolicies runPolicies;
    CaseClusterPolicies policies;

    @BeforeEach
    void policyApiServed() {
        for (RunClusterPolicies.Kind kind : RunClusterPolicies.KINDS) { // gc looks at every kind
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(kind.group())
                    .withVersion(kind.apiVersion().substring(kind.apiVersion().indexOf('/') + 1))
                    .withKind(kind.kind()).withPlural(kind.plural()).withScope("Cluster").build());
        }
        runPolicies = new RunClusterPolicies(client, new RunId(RUN), Duration.ofHours(1));
        policies = new CaseClusterPolicies(client, runPolicies, RUN, REAL);
    }

    @AfterEach
    void emptyTheServer() {
        runPolicies.close();
        stored().forEach(p -> client.genericKubernetesResources(CNP.apiVersion(), CNP.kind()).withName(p.getMetadata().getName()).delete());
    }

    static List<GenericKubernetesResource> stored() {
        return client.genericKubernetesResources(CNP.apiVersion(), CNP.kind()).list().getItems();
    }

    static List<SweepCase> cases(int n) {
        return CaseGeneratorTest.mixed(21, n, Capabilities.all());
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachCaseCreatesItsPoliciesConfinedToTheRunAndLeavesNoneBehind() {
        for (SweepCase c : cases(15)) {
            policies.awaitNone(Duration.ofSeconds(2));
            policies.apply(c);

            List<GenericKubernetesResource> created = stored();
            assertThat(created).as(c.yaml()).hasSize(c.clusterPolicies().size()).allSatisfy(p -> {
                assertThat(p.getMetadata().getName()).startsWith(RUN + "-" + c.name() + "-");
                assertThat(p.getMetadata().getLabels()).containsEntry(RunNamespaces.RUN, RUN)
                        .containsEntry(RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER);
                assertThat(p.getMetadata().getAnnotations()).containsKey(RunNamespaces.EXPIRES);
                List<Map<?, ?>> selectors = namespaceSelectors(p);
                // the subject always has one; pods entries without one got one
                assertThat(selectors).isNotEmpty().allSatisfy(s -> assertThat((Map<String, Object>) s.get("matchLabels"))
                        .as("namespace selector %s of %s", s, p.getMetadata().getName()).containsEntry(RunNamespaces.RUN, RUN));
                assertThat(selectors).allSatisfy(s -> {
                    Object name = ((Map<?, ?>) s.get("matchLabels")).get(Topology.METADATA_NAME_LABEL);
                    assertThat(name == null || REAL.containsValue(name)).as("real namespace name in %s", s).isTrue();
                });
            });

            policies.delete();
            assertThat(policies.left()).isEmpty();
        }
    }

    @Test
    void aFailedCreateStillLeavesNothingOfTheRunAndSparesOthersPolicies() {
        SweepCase two = cases(60).stream().filter(c -> c.clusterPolicies().size() == 2).findFirst().orElseThrow();
        // someone else's policy already holds the name the second one would get: the API refuses it (409)
        String taken = runPolicies.clusterName(CNP, two.name() + "-" + two.clusterPolicies().get(1).name());
        client.genericKubernetesResources(CNP.apiVersion(), CNP.kind()).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion(CNP.apiVersion()).withKind(CNP.kind()).withNewMetadata().withName(taken).endMetadata()
                .addToAdditionalProperties("spec", Map.of("tier", "Admin", "priority", 5)).build()).create();

        assertThatThrownBy(() -> policies.apply(two)).hasMessageContaining(taken);
        assertThat(policies.left()).hasSize(1);

        policies.delete();
        assertThat(policies.left()).isEmpty();
        assertThat(stored()).extracting(p -> p.getMetadata().getName()).containsExactly(taken);
    }

    @Test
    void theDeleteActionRemovesOnePolicyAndTheCaseEndTheRest() {
        SweepCase two = cases(60).stream().filter(c -> c.clusterPolicies().size() == 2).findFirst().orElseThrow();
        policies.apply(two);
        String first = two.clusterPolicies().get(0).name();

        policies.delete(first);

        assertThat(policies.left()).containsExactly(runPolicies.clusterName(CNP, two.name() + "-" + two.clusterPolicies().get(1).name()));
        assertThatThrownBy(() -> policies.delete(first)).hasMessageContaining("'" + first + "' was not created");
        policies.delete();
        assertThat(policies.left()).isEmpty();
    }

    @Test
    void aLeftoverOfTheRunHoldsTheNextCaseBack() {
        SweepCase c = cases(1).get(0);
        policies.apply(c);
        // not deleted: the next case must not start on top of it
        assertThatThrownBy(() -> policies.awaitNone(Duration.ofMillis(600)))
                .isInstanceOf(ConditionTimeoutException.class).hasMessageContaining(RunNamespaces.RUN + "=" + RUN);
        policies.delete();
        policies.awaitNone(Duration.ofSeconds(2));
    }

    @Test
    void aKilledSweepsPoliciesAreWhatGcCollects() {
        SweepCase c = cases(1).get(0);
        policies.apply(c);
        // no namespace of the run is left (the mock has none): as after a kill, gc finds them by their labels
        assertThat(RunClusterPolicies.gc(client, java.time.Instant.now(), true)).hasSize(c.clusterPolicies().size())
                .allSatisfy(name -> assertThat(name).startsWith("ClusterNetworkPolicy/" + RUN + "-" + c.name() + "-"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<?, ?>> namespaceSelectors(GenericKubernetesResource policy) {
        Map<String, Object> spec = (Map<String, Object>) policy.getAdditionalProperties().get("spec");
        List<Map<String, Object>> holders = new ArrayList<>();
        holders.add((Map<String, Object>) spec.get("subject"));
        for (String direction : List.of("ingress", "egress")) {
            for (Object rule : (List<Object>) spec.getOrDefault(direction, List.of())) {
                ((List<Object>) ((Map<String, Object>) rule).get(direction.equals("ingress") ? "from" : "to"))
                        .forEach(peer -> holders.add((Map<String, Object>) peer));
            }
        }
        List<Map<?, ?>> selectors = new ArrayList<>();
        for (Map<String, Object> holder : holders) {
            if (holder.get("namespaces") instanceof Map<?, ?> ns) {
                selectors.add(ns);
            }
            if (holder.get("pods") instanceof Map<?, ?> pods) {
                selectors.add((Map<?, ?>) pods.get("namespaceSelector"));
            }
        }
        return selectors;
    }
}
