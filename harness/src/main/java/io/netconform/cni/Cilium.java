package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Optional;

/** Cilium: eBPF datapath, settings in the cilium-config ConfigMap beside its agent DaemonSet. */
final class Cilium extends Cni {

    Cilium() {
        super("cilium", List.of("kube-system", "cilium"), Encapsulation.VXLAN, "eBPF, VXLAN tunnel",
                NetworkPolicySupport.enforced("Cilium's agent enforces policy"));
    }

    /** Helm and cilium-cli install into kube-system; OpenShift's and some GitOps installs into "cilium". */

    @Override
    boolean runs(DaemonSet ds) {
        return ds.getMetadata().getName().equals("cilium") || Detection.containerNames(ds).contains("cilium-agent");
    }

    @Override
    Draft detect(DaemonSet ds, Detection cluster) {
        Draft d = new Draft(this, Detection.imageVersion(ds, "cilium-agent"), Detection.source(ds));
        Optional<ConfigMap> cm = cluster.cluster.configMap(ds.getMetadata().getNamespace(), "cilium-config");
        if (cm.isEmpty()) {
            cluster.warn("cilium: ConfigMap " + ds.getMetadata().getNamespace()
                    + "/cilium-config not readable; assuming Cilium's defaults (VXLAN tunnel)");
            d.encapsulation = Encapsulation.VXLAN;
            return d;
        }
        ConfigMap config = cm.get();
        String routingMode = setting(config, "routing-mode");
        String tunnel = setting(config, "tunnel");
        Encapsulation tunnelled;
        String how;
        if ("native".equals(routingMode)) {
            tunnelled = Encapsulation.NONE;
            how = "native routing";
        } else if ("tunnel".equals(routingMode) || tunnel == null) {
            // routing-mode (1.14+) supersedes the deprecated "tunnel" key; Cilium defaults to a VXLAN tunnel
            tunnelled = "geneve".equals(setting(config, "tunnel-protocol")) ? Encapsulation.GENEVE : Encapsulation.VXLAN;
            how = tunnelled.label() + " tunnel";
        } else {
            tunnelled = switch (tunnel) {
                case "vxlan" -> Encapsulation.VXLAN;
                case "geneve" -> Encapsulation.GENEVE;
                case "disabled" -> Encapsulation.NONE;
                default -> Encapsulation.UNKNOWN;
            };
            how = tunnelled == Encapsulation.NONE ? "native routing" : tunnelled.label() + " tunnel";
        }
        boolean wireguard = "true".equals(setting(config, "enable-wireguard"));
        d.encapsulation = wireguard ? Encapsulation.WIREGUARD : tunnelled;
        d.detail = "eBPF, " + how + (wireguard ? ", WireGuard encryption" : "");
        d.configuredMtu = cluster.configuredMtu(config, "cilium-config", "mtu");
        if ("never".equals(setting(config, "enable-policy"))) {
            d.policy = NetworkPolicySupport.notEnforced("cilium-config enable-policy=never");
        }
        String kpr = setting(config, "kube-proxy-replacement");
        if ("true".equals(kpr) || "strict".equals(kpr)) {
            d.kubeProxyReplacement = new KubeProxy(KubeProxy.Mode.REPLACED,
                    "cilium-config kube-proxy-replacement=" + kpr);
        }
        if ("true".equals(setting(config, "enable-ipv6"))) {
            d.extraFamilies.add("IPv6");
        }
        if ("true".equals(setting(config, "enable-ipv4")) && cluster.ipFamilies().isEmpty()) {
            d.extraFamilies.add("IPv4");
        }
        return d;
    }

    private static String setting(ConfigMap config, String key) {
        return Detection.lower(Detection.data(config, key));
    }

    @Override
    List<DetectionRead> reads() {
        return List.of(DetectionRead.configMap("cilium-config"));
    }
}
