package io.netconform.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CniProfileTest {
    /** What detection gives on the lab cluster: a bridge CNI configured on the nodes. */
    private static final CniProfile UNKNOWN = new CniProfile(Cnis.UNKNOWN, null, "", "no CNI DaemonSet",
            Multus.ABSENT, NetworkPolicySupport.unknown("unknown CNI"), Encapsulation.UNKNOWN,
            ExpectedMtu.unknown("unknown CNI"), Set.of("IPv4"),
            new KubeProxy(KubeProxy.Mode.UNKNOWN, "no kube-proxy pods"), CniHealth.NOT_OBSERVED,
            List.of(CniProfile.UNKNOWN_CNI_WARNING));

    private static final CniProfile CALICO_JUMBO = new CniProfile(Cnis.named("calico").orElseThrow(), "v3.29.1", "calico VXLAN",
            "DaemonSet calico-system/calico-node", Multus.ABSENT, NetworkPolicySupport.enforced("Felix"),
            Encapsulation.VXLAN, new ExpectedMtu(8950, "calico-config veth_mtu", true), Set.of("IPv4"),
            new KubeProxy(KubeProxy.Mode.IPTABLES, "pod"), CniHealth.NOT_OBSERVED, List.of());

    @Test
    void noOverridesKeepTheDetectedProfile() {
        assertThat(CALICO_JUMBO.withOverrides(null, null)).isEqualTo(CALICO_JUMBO);
    }

    @Test
    void expectMtuWinsAndIsStrict() {
        CniProfile profile = UNKNOWN.withOverrides(null, 1450);

        assertThat(profile.name()).isEqualTo("unknown");
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(1450, "--expect-mtu", true));
        assertThat(profile.mtuStrict()).isTrue();
        assertThat(profile.describe()).contains("MTU: expected pod MTU 1450 (--expect-mtu)");
    }

    @Test
    void cniOverrideTakesThatCnisExpectationsAndDropsTheUnknownWarning() {
        CniProfile profile = UNKNOWN.withOverrides("Canal", null);

        assertThat(profile.name()).isEqualTo("canal");
        assertThat(profile.source()).isEqualTo("--cni canal");
        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.ENFORCED);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(1450, "table: VXLAN on a 1500 underlay", true));
        assertThat(profile.warnings()).doesNotContain(CniProfile.UNKNOWN_CNI_WARNING)
                .anyMatch(w -> w.startsWith("CNI set by --cni canal; detection said unknown"));
        assertThat(profile.ipFamilies()).containsExactly("IPv4");
    }

    @Test
    void flannelOverrideSaysPolicyIsNotEnforced() {
        CniProfile profile = UNKNOWN.withOverrides("flannel", 1450);

        assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.NOT_ENFORCED);
        assertThat(profile.mtu().source()).isEqualTo("--expect-mtu");
    }

    @Test
    void overridingWithTheDetectedNameKeepsItsConfiguredMtu() {
        assertThat(CALICO_JUMBO.withOverrides("calico", null)).isEqualTo(CALICO_JUMBO);
    }

    @Test
    void calicoOverrideWithoutMtuIsNotStrictAndAsksForOne() {
        CniProfile profile = UNKNOWN.withOverrides("calico", null);

        assertThat(profile.mtuStrict()).isFalse();
        assertThat(profile.warnings()).anyMatch(w -> w.contains("give --expect-mtu"));
    }

    @Test
    void unknownCniNameIsRejectedNamingItAndTheValidNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> UNKNOWN.withOverrides("weave", null))
                .withMessage("--cni 'weave' is not a CNI the harness knows; valid names: "
                        + "canal, cilium, calico, flannel, k3s-flannel, unknown");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 575, 65536, -1500})
    void mtuOutsideTheIpRangeIsRejectedNamingTheValueAndRange(int mtu) {
        assertThatIllegalArgumentException().isThrownBy(() -> UNKNOWN.withOverrides(null, mtu))
                .withMessage("--expect-mtu " + mtu + " is out of range: an MTU must be within 576..65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {576, 9000, 65535})
    void mtuAtAndInsideTheBoundsIsAccepted(int mtu) {
        assertThat(UNKNOWN.withOverrides(null, mtu).expectedMtu()).hasValue(mtu);
    }

    @Test
    void observedPodIpsAddTheirFamilies() {
        assertThat(UNKNOWN.withObservedPodIps(List.of("10.244.0.5", "fd00:10:244::5")).ipFamilies())
                .containsExactly("IPv4", "IPv6");
    }

    @ParameterizedTest(name = "{0} over {1}{2}")
    @CsvSource({
            "canal, VXLAN, false, 1450", "calico, IPIP, false, 1480", "calico, NONE, false, 1500",
            "calico, WIREGUARD, false, 1440", "calico, WIREGUARD, true, 1420", "flannel, WIREGUARD, false, 1420",
            "k3s-flannel, HOST_GW, false, 1500", "cilium, WIREGUARD, false, 1420", "cilium, GENEVE, false, 1450",
            "cilium, VXLAN, true, 1430"})
    void mtuTableOnA1500Underlay(String cni, Encapsulation encapsulation, boolean ipv6Underlay, int mtu) {
        assertThat(Cnis.named(cni).orElseThrow().expectedMtu(encapsulation, ipv6Underlay).value()).isEqualTo(mtu);
    }

    @Test
    void ipsecHasNoTableEntry() {
        ExpectedMtu mtu = Cnis.named("k3s-flannel").orElseThrow().expectedMtu(Encapsulation.IPSEC, false);
        assertThat(mtu.value()).isNull();
        assertThat(mtu.strict()).isFalse();
        assertThat(mtu.source()).contains("IPsec");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "rancher/hardened-calico:v3.29.1-build20250117, v3.29.1",
            "quay.io/cilium/cilium:v1.16.5@sha256:0123abcd, v1.16.5",
            "registry.local:5000/flannel/flannel, null",
            "registry.local:5000/flannel/flannel:v0.26.2, v0.26.2",
            "calico/node@sha256:0123abcd, null"})
    void versionIsTheImageTag(String image, String version) {
        assertThat(Detection.imageTag(image)).isEqualTo(version);
    }

    @Test
    void asMapIsFlatAndComplete() {
        assertThat(CALICO_JUMBO.asMap())
                .containsEntry("cni.name", "calico").containsEntry("cni.version", "v3.29.1")
                .containsEntry("cni.networkPolicy", "ENFORCED").containsEntry("cni.encapsulation", "VXLAN")
                .containsEntry("cni.mtu.expected", "8950").containsEntry("cni.mtu.source", "calico-config veth_mtu")
                .containsEntry("cni.mtu.strict", "true").containsEntry("kubeProxy.mode", "IPTABLES")
                .containsEntry("cni.multus", "absent").containsEntry("cni.warnings", "none");
    }
}
