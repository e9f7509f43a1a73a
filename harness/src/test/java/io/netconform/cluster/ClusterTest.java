package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class ClusterTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    @ParameterizedTest(name = "{0} / providerID {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "v1.31.4+k3s1,   -,                                   k3s",
            "v1.30.6+rke2r1, -,                                   rke2",
            "v1.29.3-eks-adc7111, aws:///eu-west-1a/i-0abc,       eks",
            "v1.29.1-gke.1589018, gce://p/europe-west1-b/n,       gke",
            "v1.31.0,        kind://docker/kind/kind-control-plane, kind",
            "v1.30.3,        azure:///subscriptions/x/vm-0,       aks",
            "v1.20.2,        -,                                   kubernetes",
    })
    void distributionFromVersionAndNode(String gitVersion, String providerId, String expected) {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewSpec().withProviderID(providerId).endSpec().build();

        assertThat(Cluster.distribution(gitVersion, node)).isEqualTo(expected);
    }

    @Test
    void wrapsAnExistingClientWithoutPreflight() {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("20").withGitVersion("v1.20.2")
                .build());
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                .withLabels(Map.of("minikube.k8s.io/name", "minikube")).endMetadata().build()).create();

        Cluster cluster = Cluster.of(client, "mock server");

        assertThat(cluster.description()).isEqualTo("mock server");
        assertThat(cluster.serverUrl()).startsWith("http").doesNotEndWith("/");
        assertThat(cluster.kubernetesVersion()).isEqualTo("v1.20.2");
        assertThat(cluster.distribution()).isEqualTo("minikube");
    }

    @Test
    void runIdsAreShortDistinctDnsLabels() {
        RunId a = RunId.random();
        RunId b = RunId.random();

        assertThat(a.value()).matches("nc-[0-9a-f]{6}");
        assertThat(a).isNotEqualTo(b);
        assertThatThrownBy(() -> new RunId("Not_A_Label")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Not_A_Label'");
    }

    @Test
    void targetOptionsDefaultTheConnectTimeoutAndRefuseMixingEmbeddedWithKubeconfig() {
        assertThat(TargetOptions.defaults().connectTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> new TargetOptions(null, "lab", "k3s", null))
                .isInstanceOf(ClusterException.class).hasMessageContaining("--embedded k3s");
    }
}
