package io.netconform.cni;

/**
 * Expected pod MTU from the encapsulation overhead on a 1500-byte underlay, for CNIs that expose no
 * configured MTU. Overheads from the CNIs' docs: VXLAN and Geneve 50 (70 over IPv6), IPIP 20,
 * WireGuard 80 for Flannel's wireguard-native and Cilium; a CNI with another WireGuard overhead
 * (Calico: 60) passes its own.
 */
final class MtuTable {
    static final int UNDERLAY = 1500;
    static final int WIREGUARD_OVERHEAD = 80;

    private MtuTable() {
    }

    /** @return the expectation, or an unknown one when the table has no row (IPsec, unknown encapsulation) */
    static ExpectedMtu expected(Encapsulation encapsulation, boolean ipv6Underlay, int wireguardOverhead) {
        String underlay = " on a " + UNDERLAY + (ipv6Underlay ? " IPv6" : "") + " underlay";
        int ipv6Extra = ipv6Underlay ? 20 : 0;
        Integer overhead = switch (encapsulation) {
            case NONE, HOST_GW -> 0;
            case IPIP -> 20;
            case VXLAN, GENEVE -> 50 + ipv6Extra;
            case WIREGUARD -> wireguardOverhead;
            case IPSEC, UNKNOWN -> null;
        };
        if (overhead == null) {
            return ExpectedMtu.unknown("no table entry for " + encapsulation.label() + "; give --expect-mtu");
        }
        return new ExpectedMtu(UNDERLAY - overhead, "table: " + encapsulation.label() + underlay, true);
    }
}
