package io.netconform.scenarios.multus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of the Multus suite that need no Multus: the attachment it creates or is given, and what pods report. */
@EnableKubernetesMockClient(crud = true)
class MultusPiecesTest {

    KubernetesClient client;

    /** As Multus 4 (thick plugin) writes it on a pod with the default bridge attached. */
    static final String NETWORK_STATUS = """
            [{
                "name": "k8s-pod-network",
                "interface": "eth0",
                "ips": [
                    "10.42.0.21",
                    "fd00:10:42::15"
                ],
                "mac": "6a:8c:0e:0c:fd:2e",
                "default": true,
                "dns": {},
                "gateway": [
                    "10.42.0.1"
                ]
            },{
                "name": "nc-3f2a-multus/nc-bridge",
                "interface": "net1",
                "ips": [
                    "192.168.251.3"
                ],
                "mac": "e2:b9:55:3b:0a:f1",
                "dns": {}
            }]""";

    @Test
    void theDefaultBridgeIsCreatedAndReadBackThroughTheGenericApi() throws Exception {
        Attachment.api(client).inNamespace("nc-3f2a-multus").resource(Attachment.defaultBridge("nc-3f2a-multus")).create();

        GenericKubernetesResource stored = Attachment.api(client).inNamespace("nc-3f2a-multus")
                .withName(Attachment.DEFAULT_NAME).get();
        assertThat(stored.getApiVersion()).isEqualTo("k8s.cni.cncf.io/v1");
        assertThat(stored.getKind()).isEqualTo("NetworkAttachmentDefinition");
        JsonNode config = new ObjectMapper().readTree(stored.<String>get("spec", "config"));
        assertThat(config.path("type").asText()).isEqualTo("bridge");
        assertThat(config.path("bridge").asText()).isEqualTo("nc-multus0");
        assertThat(config.path("ipam").path("type").asText()).isEqualTo("host-local");
        assertThat(config.path("ipam").path("subnet").asText()).isEqualTo("192.168.251.0/24");
        assertThat(config.has("mtu")).as("no MTU configured: the bridge plugin's default applies").isFalse();
    }

    @Test
    void thePodAnnotationNamesTheAttachmentAndPinsTheInterface() throws Exception {
        JsonNode networks = new ObjectMapper().readTree(new Attachment("nc-3f2a-multus", "nc-bridge").annotation());
        assertThat(networks).hasSize(1);
        assertThat(networks.get(0).path("name").asText()).isEqualTo("nc-bridge");
        assertThat(networks.get(0).path("namespace").asText()).isEqualTo("nc-3f2a-multus");
        assertThat(networks.get(0).path("interface").asText()).isEqualTo("net1");
    }

    @Test
    void theUsersAttachmentIsNamespaceSlashName() {
        assertThat(Attachment.configured(" kube-system/macvlan-conf ")).contains(new Attachment("kube-system", "macvlan-conf"));
        assertThat(Attachment.configured(null)).isEmpty();
        assertThat(Attachment.configured("")).isEmpty();
        for (String bad : List.of("macvlan-conf", "a/b/c", "/macvlan-conf", "kube-system/")) {
            assertThatThrownBy(() -> Attachment.configured(bad))
                    .hasMessageContaining("netconform.multus.network='" + bad + "' is not namespace/name");
        }
    }

    @Test
    void networkStatusGivesTheSecondaryInterfacesAddress() {
        List<NetworkStatus> networks = NetworkStatus.parse(NETWORK_STATUS);

        assertThat(networks).hasSize(2);
        assertThat(networks.get(0).primary()).isTrue();
        Optional<NetworkStatus> net1 = NetworkStatus.onInterface(networks, "net1");
        assertThat(net1).get().satisfies(n -> {
            assertThat(n.name()).isEqualTo(new Attachment("nc-3f2a-multus", "nc-bridge").statusName());
            assertThat(n.ips()).containsExactly("192.168.251.3");
            assertThat(n.primary()).isFalse();
        });
        assertThat(NetworkStatus.onInterface(networks, "net2")).isEmpty();
        assertThat(NetworkStatus.parse(null)).isEmpty();
    }

    @Test
    void aBrokenNetworkStatusIsNamedNotIgnored() {
        assertThatThrownBy(() -> NetworkStatus.parse("{\"name\": \"net1\""))
                .hasMessageContaining("k8s.v1.cni.cncf.io/network-status")
                .hasMessageContaining("{\"name\": \"net1\"");
    }

    /** `ip -o addr show dev X` output as this machine's iproute2 prints it: one line per address, link-local last. */
    @Test
    void onlyGlobalAddressesOfTheInterfaceArePeers() {
        String output = """
                3: net1    inet6 fd00:77::3/64 scope global nodad \\       valid_lft forever preferred_lft forever
                3: net1    inet 192.168.251.3/24 brd 192.168.251.255 scope global net1\\       valid_lft forever preferred_lft forever
                3: net1    inet6 fe80::e0b9:55ff:fe3b:af1/64 scope link \\       valid_lft forever preferred_lft forever
                """;
        assertThat(NetworkStatus.addresses(output)).containsExactly("192.168.251.3", "fd00:77::3");
        assertThat(NetworkStatus.addresses("3: net1    inet6 fe80::1/64 scope link \\       valid_lft forever\n")).isEmpty();
    }
}
