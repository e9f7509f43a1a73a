package io.netconform.cni;

/** How Services are implemented: kube-proxy in one of its modes, or a CNI that replaces it. */
public record KubeProxy(Mode mode, String detail) {
    public enum Mode { IPTABLES, IPVS, NFTABLES, REPLACED, UNKNOWN }

    static KubeProxy ofMode(String mode, String detail) {
        String m = mode == null ? "" : mode.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (m) {
            // kube-proxy's own default on Linux when mode is empty
            case "", "iptables" -> new KubeProxy(Mode.IPTABLES, detail + (m.isEmpty() ? ", mode unset = iptables" : ""));
            case "ipvs" -> new KubeProxy(Mode.IPVS, detail);
            case "nftables" -> new KubeProxy(Mode.NFTABLES, detail);
            default -> new KubeProxy(Mode.UNKNOWN, detail + ", unrecognised mode '" + mode + "'");
        };
    }

    @Override
    public String toString() {
        return (mode == Mode.REPLACED ? "kube-proxy replaced" : "kube-proxy " + mode.name().toLowerCase(java.util.Locale.ROOT))
                + " (" + detail + ")";
    }
}
