package io.netconform.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A dual-stack topology seen one family at a time, as the packets of that family see it. */
class IpFamiliesTest {

    static final Port HTTP = Port.tcp(80);
    static final Topology DUAL = Topology.of("x/a", "y/b").serving(HTTP)
            .withIp("x/a", "10.42.0.1", "fd00:42::1")
            .withIp("y/b", "10.42.0.2", "fd00:42::2");

    /** Ingress to y/b only from the given CIDR. */
    static NetworkPolicy ingressFrom(String cidr) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("from-range").withNamespace("y").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr(cidr).endIpBlock().endFrom().endIngress()
                .endSpec().build();
    }

    @Test
    void familiesAreThoseEveryPodHasPrimaryFirst() {
        assertThat(DUAL.families()).containsExactly(IpFamily.IPV4, IpFamily.IPV6);
        assertThat(DUAL.withIp("x/a", "fd00:42::1", "10.42.0.1").families()).containsExactly(IpFamily.IPV6, IpFamily.IPV4);
        assertThat(DUAL.withIp("y/b", "10.42.0.2").families()).as("a family one pod lacks is no family of the topology")
                .containsExactly(IpFamily.IPV4);
        assertThat(Topology.of("x/a").families()).as("no IPs yet").isEmpty();
    }

    @Test
    void oneFamilysViewKeepsOnlyThatFamilysAddresses() {
        assertThat(DUAL.only(IpFamily.IPV6).pod("x/a").ips()).containsExactly("fd00:42::1");
        assertThat(DUAL.only(IpFamily.IPV4).pod("y/b").ips()).containsExactly("10.42.0.2");
        assertThat(DUAL.ip(PodId.of("y/b"), IpFamily.IPV6)).isEqualTo("fd00:42::2");
        assertThatThrownBy(() -> DUAL.only(IpFamily.IPV4).ip(PodId.of("y/b"), IpFamily.IPV6))
                .hasMessageContaining("y/b has no IPv6 address");
    }

    @Test
    void anIpv4IpBlockAdmitsIpv4TrafficOnlyAndAnIpv6OneIpv6Only() {
        List<NetworkPolicy> v4 = List.of(ingressFrom("10.42.0.0/16"));
        List<NetworkPolicy> v6 = List.of(ingressFrom("fd00:42::/64"));

        assertThat(PolicyOracle.of(DUAL.only(IpFamily.IPV4), v4).predict("x/a", "y/b", HTTP).allowed()).isTrue();
        assertThat(PolicyOracle.of(DUAL.only(IpFamily.IPV6), v4).predict("x/a", "y/b", HTTP).allowed()).isFalse();
        assertThat(PolicyOracle.of(DUAL.only(IpFamily.IPV4), v6).predict("x/a", "y/b", HTTP).allowed()).isFalse();
        assertThat(PolicyOracle.of(DUAL.only(IpFamily.IPV6), v6).predict("x/a", "y/b", HTTP).allowed()).isTrue();
        // the whole topology at once matches a pod by any of its addresses: right for neither family alone
        assertThat(PolicyOracle.of(DUAL, v6).predict("x/a", "y/b", HTTP).allowed()).isTrue();
    }
}
