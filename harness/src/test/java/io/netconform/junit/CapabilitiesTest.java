package io.netconform.junit;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient
class CapabilitiesTest {
    KubernetesClient client;
    KubernetesMockServer server;

    @PolicySuite
    static class APolicySuite {
        @Requires({Capability.SCTP, Capability.TWO_NODES})
        void sctpAcrossNodes() {
        }

        void plain() {
        }
    }

    @Test
    void aPolicySuiteNeedsNetworkPolicyAndItsMethodsAddTheirOwn() throws NoSuchMethodException {
        assertThat(ConformanceExtension.required(Optional.of(APolicySuite.class),
                Optional.of(APolicySuite.class.getDeclaredMethod("sctpAcrossNodes"))))
                .containsExactly(Capability.NETWORK_POLICY, Capability.SCTP, Capability.TWO_NODES);
        assertThat(ConformanceExtension.required(Optional.of(APolicySuite.class),
                Optional.of(APolicySuite.class.getDeclaredMethod("plain"))))
                .containsExactly(Capability.NETWORK_POLICY);
        assertThat(ConformanceExtension.required(Optional.of(CapabilitiesTest.class), Optional.empty())).isEmpty();
    }

    @Test
    void clusterNetworkPolicyIsThereWhenDiscoveryServesTheKind() {
        server.expect().get().withPath("/apis/policy.networking.k8s.io").andReturn(200, new APIGroupBuilder()
                .withName("policy.networking.k8s.io").addNewVersion().withGroupVersion("policy.networking.k8s.io/v1alpha2")
                .withVersion("v1alpha2").endVersion().build()).always();
        server.expect().get().withPath("/apis/policy.networking.k8s.io/v1alpha2").andReturn(200,
                new APIResourceListBuilder().withGroupVersion("policy.networking.k8s.io/v1alpha2").addNewResource()
                        .withName("clusternetworkpolicies").withKind("ClusterNetworkPolicy").withNamespaced(false)
                        .withVerbs("get", "list", "create").endResource().build()).always();

        Capabilities.Availability answer = Capabilities.clusterNetworkPolicy(client);

        assertThat(answer.available()).isTrue();
        assertThat(answer.reason()).isEqualTo("served as policy.networking.k8s.io/v1alpha2");
    }

    @Test
    void clusterNetworkPolicyIsMissingWithoutTheGroup() {
        Capabilities.Availability answer = Capabilities.clusterNetworkPolicy(client);

        assertThat(answer.available()).isFalse();
        assertThat(answer.reason()).contains("serves no ClusterNetworkPolicy in policy.networking.k8s.io",
                "network-policy-api CRDs");
    }

    @Test
    void admissionRefusingTheDryRunIsAMissingCapabilityWithItsMessage() {
        server.expect().post().withPath("/api/v1/namespaces/nc-run/pods?dryRun=All").andReturn(403, new StatusBuilder()
                .withCode(403).withReason("Forbidden").withMessage("pods \"x\" is forbidden: violates PodSecurity "
                        + "\"baseline:latest\": host namespaces (hostNetwork=true)").build()).once();

        Capabilities.Availability answer = Capabilities.admitted(client, "nc-run", "a hostNetwork pod",
                new PodBuilder().withNewMetadata().withName("x").endMetadata()
                        .withNewSpec().withHostNetwork(true).endSpec().build());

        assertThat(answer.available()).isFalse();
        assertThat(answer.reason()).isEqualTo("a hostNetwork pod is refused in nc-run: pods \"x\" is forbidden: "
                + "violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)");
    }

    @Test
    void admissionAcceptingTheDryRunIsTheCapability() {
        server.expect().post().withPath("/api/v1/namespaces/nc-run/pods?dryRun=All").andReturn(201,
                new PodBuilder().withNewMetadata().withName("x").withNamespace("nc-run").endMetadata().build()).once();

        Capabilities.Availability answer = Capabilities.admitted(client, "nc-run", "a hostNetwork pod",
                new PodBuilder().withNewMetadata().withName("x").endMetadata()
                        .withNewSpec().withHostNetwork(true).endSpec().build());

        assertThat(answer.available()).isTrue();
    }
}
