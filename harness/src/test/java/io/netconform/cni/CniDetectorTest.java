package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class CniDetectorTest {
    private static final String CALICO_NODE = "calico-node=rancher/hardened-calico:v3.29.1-build20250117";
    private static final String KUBE_FLANNEL = "kube-flannel=rancher/hardened-flannel:v0.26.1-build20250117";
    private static final String FLANNEL_BACKEND = "flannel.alpha.coreos.com/backend-type";

    KubernetesClient client;
    KubernetesMockServer server;
    ClusterFixtures cluster;

    @BeforeEach
    void fixtures() {
        cluster = new ClusterFixtures(client);
    }

    @Test
    void rke2CanalIsFlannelVxlanWithCalicoPolicy() {
        cluster.daemonSet("kube-system", "rke2-canal", 3, 3, CALICO_NODE, KUBE_FLANNEL);
        cluster.configMap("kube-system", "rke2-canal-config",
                Map.of("net-conf.json", "{\"Network\": \"10.42.0.0/16\", \"Backend\": {\"Type\": \"vxlan\"}}"));
        cluster.node("n1", "v1.31.4+rke2r1", Map.of(FLANNEL_BACKEND, "vxlan"), "10.42.0.0/24");
        // RKE2 runs kube-proxy as a static pod per node, its settings as flags
        cluster.pod(new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("kube-proxy-n1").endMetadata()
                .withNewSpec().addNewContainer().withName("kube-proxy").withImage("rancher/hardened-kubernetes:v1.31.4-rke2r1")
                .withCommand("kube-proxy", "--cluster-cidr=10.42.0.0/16", "--proxy-mode=iptables").endContainer().endSpec()
                .build());

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("canal");
        assertThat(profile.version()).isEqualTo("v3.29.1");
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.ENFORCED);
        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.VXLAN);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(1450, "table: VXLAN on a 1500 underlay", true));
        assertThat(profile.ipFamilies()).containsExactly("IPv4");
        assertThat(profile.kubeProxy().mode()).isEqualTo(KubeProxy.Mode.IPTABLES);
        assertThat(profile.kubeProxy().detail()).contains("kube-proxy-n1");
        assertThat(profile.multus().present()).isFalse();
        assertThat(profile.health().healthy()).isTrue();
        assertThat(profile.health().message()).isEqualTo("rke2-canal 3/3 ready, 0 restarts");
        assertThat(profile.warnings()).isEmpty();
        assertThat(profile.describe())
                .startsWith("CNI: canal v3.29.1 (flannel VXLAN, calico policy) · from DaemonSet kube-system/rke2-canal")
                .contains("expected pod MTU 1450 (table: VXLAN on a 1500 underlay)", "IP families: IPv4",
                        "health: rke2-canal 3/3 ready, 0 restarts");
    }

    @Test
    void upstreamCanalReadsItsConfiguredMtuAndWireguardBackend() {
        cluster.daemonSet("kube-system", "canal", 2, 2, "calico-node=docker.io/calico/node:v3.28.0", "kube-flannel=flannel/flannel:v0.25.1");
        cluster.configMap("kube-system", "canal-config", Map.of("veth_mtu", "1400",
                "net-conf.json", "{\"Backend\": {\"Type\": \"wireguard\"}}"));

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("canal");
        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.WIREGUARD);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(1400, "canal-config veth_mtu", true));
    }

    @Test
    void multusBesideCanalIsReportedAndWatched() {
        cluster.daemonSet("kube-system", "rke2-canal", 2, 2, CALICO_NODE, KUBE_FLANNEL);
        cluster.daemonSet("kube-system", "kube-multus-ds", 2, 2,
                "kube-multus=ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0-thick");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("canal");
        assertThat(profile.multus().present()).isTrue();
        assertThat(profile.multus().version()).isEqualTo("v4.1.0-thick");
        assertThat(profile.multus().source()).startsWith("DaemonSet kube-system/kube-multus-ds");
        assertThat(profile.health().daemonSets()).extracting(CniHealth.DaemonSetState::name)
                .containsExactly("rke2-canal", "kube-multus-ds");
        assertThat(profile.describe()).contains("Multus: Multus v4.1.0-thick");
        assertThat(profile.asMap()).containsEntry("cni.multus", "v4.1.0-thick");
    }

    @Test
    void calicoVethMtuFromCalicoConfigWinsOverTheTable() {
        cluster.create(new DaemonSetBuilder()
                .withNewMetadata().withNamespace("kube-system").withName("calico-node").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", "calico-node").endSelector()
                .withNewTemplate().withNewSpec().addNewContainer().withName("calico-node").withImage("docker.io/calico/node:v3.28.2")
                .addNewEnv().withName("CALICO_IPV4POOL_IPIP").withValue("Always").endEnv().endContainer()
                .endSpec().endTemplate().endSpec().build());
        cluster.configMap("kube-system", "calico-config", Map.of("veth_mtu", "8950", "calico_backend", "bird"));

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("calico");
        assertThat(profile.version()).isEqualTo("v3.28.2");
        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.IPIP);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(8950, "calico-config veth_mtu", true));
        assertThat(profile.networkPolicy().enforced()).isTrue();
    }

    @Test
    void calicoFromTheOperatorTakesTheInstallationMtu() {
        cluster.daemonSet("calico-system", "calico-node", 3, 3, "calico-node=docker.io/calico/node:v3.29.1");
        client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                        .withGroup("operator.tigera.io").withVersion("v1").withKind("Installation")
                        .withPlural("installations").withNamespaced(false).build())
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("operator.tigera.io/v1").withKind("Installation")
                        .withNewMetadata().withName("default").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("calicoNetwork", Map.of("mtu", 9000,
                                "ipPools", List.of(Map.of("cidr", "10.42.0.0/16", "encapsulation", "VXLANCrossSubnet")))))
                        .build())
                .create();

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("calico");
        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.VXLAN);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(9000, "Installation default spec.calicoNetwork.mtu", true));
    }

    @Test
    void calicoWithoutVisibleEncapsulationSaysSoAndIsNotStrict() {
        cluster.daemonSet("kube-system", "calico-node", 1, 1, "calico-node=docker.io/calico/node:v3.29.1");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.UNKNOWN);
        assertThat(profile.mtuStrict()).isFalse();
        assertThat(profile.expectedMtu()).isEmpty();
        assertThat(profile.warnings()).anyMatch(w -> w.contains("calico: encapsulation not visible"));
    }

    @ParameterizedTest(name = "cilium-config {0}")
    @CsvSource(delimiter = '|', value = {
            "tunnel=vxlan                                   | VXLAN     | 1450 | table: VXLAN on a 1500 underlay",
            "tunnel=geneve                                  | GENEVE    | 1450 | table: Geneve on a 1500 underlay",
            "routing-mode=native                            | NONE      | 1500 | table: no encapsulation on a 1500 underlay",
            "routing-mode=tunnel,tunnel-protocol=geneve     | GENEVE    | 1450 | table: Geneve on a 1500 underlay",
            "tunnel=vxlan,enable-wireguard=true             | WIREGUARD | 1420 | table: WireGuard on a 1500 underlay",
            "routing-mode=native,mtu=8900                   | NONE      | 8900 | cilium-config mtu",
    })
    void ciliumConfigDecidesEncapsulationAndMtu(String config, Encapsulation encapsulation, int mtu, String source) {
        cluster.daemonSet("kube-system", "cilium", 2, 2, "cilium-agent=quay.io/cilium/cilium:v1.16.5@sha256:0123abcd");
        cluster.configMap("kube-system", "cilium-config", keyValues(config));

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("cilium");
        assertThat(profile.version()).isEqualTo("v1.16.5");
        assertThat(profile.encapsulation()).isEqualTo(encapsulation);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(mtu, source, true));
    }

    @Test
    void ciliumReplacingKubeProxyAndEnforcingNoPolicy() {
        cluster.daemonSet("kube-system", "cilium", 2, 2, "cilium-agent=rancher/mirrored-cilium-cilium:v1.16.5");
        cluster.configMap("kube-system", "cilium-config", Map.of("routing-mode", "native",
                "kube-proxy-replacement", "true", "enable-policy", "never", "enable-ipv6", "true"));
        cluster.node("n1", "v1.31.4+rke2r1", Map.of(), "10.42.0.0/24");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.kubeProxy()).isEqualTo(new KubeProxy(KubeProxy.Mode.REPLACED,
                "cilium-config kube-proxy-replacement=true"));
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.NOT_ENFORCED);
        assertThat(profile.networkPolicy().reason()).contains("enable-policy=never");
        assertThat(profile.ipFamilies()).containsExactly("IPv4", "IPv6");
    }

    @ParameterizedTest(name = "kube-flannel-cfg Backend.Type {0}")
    @CsvSource({"host-gw, HOST_GW, 1500", "vxlan, VXLAN, 1450", "wireguard, WIREGUARD, 1420"})
    void flannelBackendFromItsConfigMapAndNoPolicy(String backend, Encapsulation encapsulation, int mtu) {
        cluster.daemonSet("kube-flannel", "kube-flannel-ds", 2, 2, "kube-flannel=docker.io/flannel/flannel:v0.26.2");
        cluster.configMap("kube-flannel", "kube-flannel-cfg", Map.of("net-conf.json",
                "{\n  \"Network\": \"10.244.0.0/16\",\n  \"Backend\": {\n    \"Type\": \"" + backend + "\"\n  }\n}\n"));

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("flannel");
        assertThat(profile.version()).isEqualTo("v0.26.2");
        assertThat(profile.encapsulation()).isEqualTo(encapsulation);
        assertThat(profile.expectedMtu()).hasValue(mtu);
        assertThat(profile.mtuStrict()).isTrue();
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.NOT_ENFORCED);
    }

    @Test
    void malformedFlannelConfigFallsBackToTheNodeAnnotationWithAWarning() {
        cluster.daemonSet("kube-system", "rke2-flannel", 1, 1, "kube-flannel=rancher/hardened-flannel:v0.26.1-build20250117");
        cluster.configMap("kube-system", "kube-flannel-cfg", Map.of("net-conf.json", "{ not json"));
        cluster.node("n1", "v1.31.4+rke2r1", Map.of(FLANNEL_BACKEND, "host-gw"), "10.42.0.0/24");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.HOST_GW);
        assertThat(profile.warnings()).anyMatch(w -> w.contains("net-conf.json is not JSON"));
    }

    @ParameterizedTest(name = "k3s --flannel-backend={0}")
    @CsvSource({"vxlan, VXLAN, 1450", "host-gw, HOST_GW, 1500", "wireguard-native, WIREGUARD, 1420"})
    void k3sEmbeddedFlannelFromNodeAnnotations(String backend, Encapsulation encapsulation, int mtu) {
        cluster.node("server-0", "v1.31.4+k3s1", Map.of(FLANNEL_BACKEND, backend), "10.42.0.0/24");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("k3s-flannel");
        assertThat(profile.version()).isEqualTo("v1.31.4+k3s1");
        assertThat(profile.encapsulation()).isEqualTo(encapsulation);
        assertThat(profile.mtu().value()).isEqualTo(mtu);
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.ENFORCED);
        assertThat(profile.networkPolicy().reason()).startsWith("expected (kube-router embedded in k3s)");
        assertThat(profile.kubeProxy().detail()).contains("embedded in the k3s process");
        assertThat(profile.health().observed()).isFalse();
    }

    @Test
    void emptyKubeSystemIsUnknownWithGenericExpectations() {
        // what the lab cluster shows: bridge CNI configured on the nodes, no CNI objects in the API
        cluster.node("n1", "v1.20.2", Map.of(), "10.244.0.0/24");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("unknown");
        assertThat(profile.known()).isFalse();
        assertThat(profile.version()).isNull();
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.UNKNOWN);
        assertThat(profile.mtu().value()).isNull();
        assertThat(profile.mtuStrict()).isFalse();
        assertThat(profile.kubeProxy().mode()).isEqualTo(KubeProxy.Mode.UNKNOWN);
        assertThat(profile.health().healthy()).isTrue();
        assertThat(profile.health().observed()).isFalse();
        assertThat(profile.warnings()).contains(CniProfile.UNKNOWN_CNI_WARNING);
        assertThat(profile.describe()).contains("CNI: unknown · from no CNI DaemonSet",
                "warning: unknown CNI: generic expectations");
        assertThat(profile.asMap()).containsEntry("cni.name", "unknown").containsEntry("cni.mtu.expected", "unknown")
                .containsEntry("cni.mtu.strict", "false").containsEntry("cni.ipFamilies", "IPv4");
    }

    @Test
    void crashLoopingCniPodMakesTheProfileUnhealthyNamingItsRestarts() {
        cluster.daemonSet("kube-system", "rke2-canal", 2, 1, CALICO_NODE, KUBE_FLANNEL);
        cluster.cniPod("kube-system", "rke2-canal", "rke2-canal-ok", 0, null);
        cluster.cniPod("kube-system", "rke2-canal", "rke2-canal-x7k2p", 7, "CrashLoopBackOff");

        CniHealth health = CniDetector.detect(client).health();

        assertThat(health.healthy()).isFalse();
        assertThat(health.totalRestarts()).isEqualTo(7);
        assertThat(health.message()).isEqualTo("UNHEALTHY: rke2-canal 1/2 ready, 7 restarts; failing: "
                + "kube-system/rke2-canal-x7k2p (calico-node: CrashLoopBackOff, 7 restarts)");
    }

    @Test
    void restartsDuringTheRunAreCountedAgainstTheFirstSnapshot() {
        cluster.daemonSet("kube-system", "rke2-canal", 1, 1, CALICO_NODE, KUBE_FLANNEL);
        cluster.cniPod("kube-system", "rke2-canal", "rke2-canal-a", 2, null);
        CniProfile atStart = CniDetector.detect(client);

        client.pods().inNamespace("kube-system").withName("rke2-canal-a").editStatus(p -> new PodBuilder(p).editStatus()
                .withContainerStatuses(new ContainerStatusBuilder(p.getStatus().getContainerStatuses().get(0))
                        .withRestartCount(5).build()).endStatus().build());
        cluster.cniPod("kube-system", "rke2-canal", "rke2-canal-b", 1, null);
        CniHealth atEnd = CniDetector.health(client, atStart);

        assertThat(atStart.health().restartsSince(atStart.health())).isZero();
        assertThat(atEnd.restartsSince(atStart.health())).isEqualTo(4);
        assertThat(atEnd.podsRestartedSince(atStart.health()))
                .containsExactly("kube-system/rke2-canal-a (+3)", "kube-system/rke2-canal-b (+1)");
    }

    @Test
    void vanishedCniDaemonSetIsUnhealthyOnTheNextSnapshot() {
        cluster.daemonSet("kube-system", "rke2-canal", 3, 3, CALICO_NODE, KUBE_FLANNEL);
        CniProfile atStart = CniDetector.detect(client);
        client.apps().daemonSets().inNamespace("kube-system").withName("rke2-canal").delete();

        CniHealth now = CniDetector.health(client, atStart);

        assertThat(now.healthy()).isFalse();
        assertThat(now.message()).startsWith("UNHEALTHY: rke2-canal 0/3 ready");
    }

    @Test
    void dualStackNodePodCidrsGiveBothFamilies() {
        cluster.daemonSet("kube-system", "rke2-canal", 1, 1, CALICO_NODE, KUBE_FLANNEL);
        cluster.node("n1", "v1.31.4+rke2r1", Map.of(), "10.42.0.0/24", "2001:cafe:42::/64");

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.ipFamilies()).containsExactly("IPv4", "IPv6");
        assertThat(profile.dualStack()).isTrue();
    }

    @Test
    void kubeProxyDaemonSetModeComesFromItsConfigMap() {
        cluster.daemonSet("kube-system", "kube-proxy", 2, 2, "kube-proxy=registry.k8s.io/kube-proxy:v1.30.2");
        cluster.configMap("kube-system", "kube-proxy", Map.of("config.conf",
                "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: \"ipvs\"\nipvs:\n  strictARP: true\n"));

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.kubeProxy()).isEqualTo(new KubeProxy(KubeProxy.Mode.IPVS,
                "ConfigMap kube-system/kube-proxy config.conf"));
    }

    @Test
    void forbiddenKubeSystemReadsBecomeWarningsNotFailures() {
        var forbidden = new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("daemonsets.apps is forbidden: User \"system:serviceaccount:ci:netconform\" cannot list resource")
                .build();
        server.expect().get().withPath("/apis/apps/v1/namespaces/kube-system/daemonsets").andReturn(403, forbidden).always();
        server.expect().get().withPath("/api/v1/nodes").andReturn(403, forbidden).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods").andReturn(403, forbidden).always();

        CniProfile profile = CniDetector.detect(client);

        assertThat(profile.name()).isEqualTo("unknown");
        assertThat(profile.warnings()).anyMatch(w -> w.startsWith("could not list DaemonSets in kube-system: forbidden (HTTP 403"))
                .anyMatch(w -> w.startsWith("could not list nodes: forbidden"))
                .contains(CniProfile.UNKNOWN_CNI_WARNING);
        assertThat(profile.ipFamilies()).isEmpty();
        assertThat(profile.describe()).contains("IP families: unknown");
    }

    private static Map<String, String> keyValues(String config) {
        return java.util.Arrays.stream(config.split(",")).map(kv -> kv.trim().split("=", 2))
                .collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }
}
