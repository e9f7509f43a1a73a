package io.netconform.junit;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netconform.cluster.Cluster;
import io.netconform.cluster.RunClusterPolicies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run on a cluster without the policy API says so for every kind, before anything is created. */
@EnableKubernetesMockClient(crud = true)
class ClusterPolicyApiTest {
    static KubernetesClient client;

    @Test
    void withoutTheCrdsEveryClusterPolicyKindIsUnavailableWithTheReason() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        try (Run run = Run.on(Cluster.of(client, "mock server"), RunConfig.defaults(), line -> { })) {
            for (RunClusterPolicies.Kind kind : RunClusterPolicies.KINDS) {
                assertThat(run.clusterPolicyUnavailable(kind)).as(kind.toString())
                        .hasValueSatisfying(reason -> assertThat(reason).contains("ClusterNetworkPolicy API not installed"));
            }
        }
    }
}
