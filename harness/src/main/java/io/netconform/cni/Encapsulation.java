package io.netconform.cni;

import java.util.Locale;

/** How pod traffic crosses the underlay between nodes; the overhead decides the expected pod MTU. */
public enum Encapsulation {
    VXLAN, HOST_GW, WIREGUARD, IPIP, GENEVE, IPSEC, NONE, UNKNOWN;

    /** Flannel's backend names ({@code net-conf.json} Backend.Type, node annotation, K3s {@code --flannel-backend}). */
    static Encapsulation ofFlannelBackend(String type) {
        if (type == null) {
            return UNKNOWN;
        }
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "vxlan" -> VXLAN;
            case "host-gw" -> HOST_GW;
            // K3s spells flannel's in-kernel backend "wireguard-native"; flannel itself calls it "wireguard"
            case "wireguard", "wireguard-native" -> WIREGUARD;
            case "ipsec" -> IPSEC;
            case "ipip" -> IPIP;
            default -> UNKNOWN;
        };
    }

    /** Text for people: "VXLAN", "host-gw", "WireGuard". */
    String label() {
        return switch (this) {
            case HOST_GW -> "host-gw";
            case WIREGUARD -> "WireGuard";
            case GENEVE -> "Geneve";
            case IPSEC -> "IPsec";
            case NONE -> "no encapsulation";
            case UNKNOWN -> "unknown encapsulation";
            default -> name();
        };
    }
}
