package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which generation of the policy API a cluster serves decides what a skipped kind's reason says. */
@EnableKubernetesMockClient
class ClusterPolicyDiscoveryTest {
    KubernetesClient client;
    KubernetesMockServer server;

    void servesClusterNetworkPolicyOnly() {
        server.expect().get().withPath("/apis/policy.networking.k8s.io/v1alpha2").andReturn(200,
                new APIResourceListBuilder().withGroupVersion("policy.networking.k8s.io/v1alpha2").addNewResource()
                        .withName("clusternetworkpolicies").withKind("ClusterNetworkPolicy").withNamespaced(false)
                        .withVerbs("get", "list", "create", "delete").endResource().build()).always();
    }

    @Test
    void aV1alpha1KindOnAClusterServingV1alpha2SaysSo() {
        servesClusterNetworkPolicyOnly();

        assertThat(RunClusterPolicies.notServed(client, RunClusterPolicies.CLUSTER_NETWORK_POLICY)).isEmpty();
        assertThat(RunClusterPolicies.notServed(client, RunClusterPolicies.ADMIN_NETWORK_POLICY)).hasValueSatisfying(reason ->
                assertThat(reason).contains("AdminNetworkPolicy API (policy.networking.k8s.io/v1alpha1) not installed;"
                        + " this cluster serves ClusterNetworkPolicy v1alpha2"));
    }

    @Test
    void withoutTheApiEveryKindSaysItIsNotInstalled() {
        for (RunClusterPolicies.Kind kind : RunClusterPolicies.KINDS) {
            assertThat(RunClusterPolicies.notServed(client, kind)).as(kind.toString()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("ClusterNetworkPolicy API not installed", kind.toString()));
        }
    }
}
