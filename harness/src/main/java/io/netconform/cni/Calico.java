package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Calico from manifests (calico-node in kube-system, calico-config), RKE2's chart, or the tigera-operator
 * (calico-system, Installation {@code default}).
 */
final class Calico extends Cni {

    // Calico's default encapsulation differs by installer (IPIP in manifests, VXLAN in some charts): not assumed
    Calico() {
        super("calico", List.of("kube-system", "calico-system"), Encapsulation.UNKNOWN, "calico",
                NetworkPolicySupport.enforced("Calico's Felix enforces policy"));
    }

    @Override
    boolean runs(DaemonSet ds) {
        return Set.of("calico-node", "rke2-calico").contains(ds.getMetadata().getName())
                || Detection.containerNames(ds).contains("calico-node");
    }

    @Override
    Draft detect(DaemonSet ds, Detection cluster) {
        return draft(Optional.of(ds), cluster);
    }

    /** An Installation without calico-node: the operator is still rolling Calico out. */
    @Override
    Optional<Draft> detectWithoutDaemonSet(Detection cluster) {
        if (cluster.cluster.calicoInstallation().isEmpty()) {
            return Optional.empty();
        }
        cluster.warn("calico: Installation default exists but no calico-node DaemonSet was found (still installing?)");
        return Optional.of(draft(Optional.empty(), cluster));
    }

    private Draft draft(Optional<DaemonSet> ds, Detection cluster) {
        Draft d = new Draft(this, ds.map(x -> Detection.imageVersion(x, "calico-node")).orElse(null),
                ds.map(Detection::source).orElse("Installation default (operator.tigera.io)"));
        Optional<GenericKubernetesResource> installation = cluster.cluster.calicoInstallation();
        Encapsulation fromEnv = ds.map(Calico::encapsulationFromEnv).orElse(Encapsulation.UNKNOWN);
        Encapsulation fromInstallation = installation.map(Calico::installationEncapsulation).orElse(Encapsulation.UNKNOWN);
        Encapsulation fromNodes = nodeEncapsulation(cluster);
        Optional<ConfigMap> config = ds.map(x -> x.getMetadata().getNamespace())
                .flatMap(ns -> cluster.cluster.configMap(ns, "calico-config"))
                .or(() -> cluster.cluster.configMap("kube-system", "calico-config"));
        boolean vxlanBackend = config.map(c -> "vxlan".equalsIgnoreCase(Detection.data(c, "calico_backend"))).orElse(false);

        if (fromEnv == Encapsulation.WIREGUARD || fromNodes == Encapsulation.WIREGUARD) {
            d.encapsulation = Encapsulation.WIREGUARD;
        } else {
            d.encapsulation = Stream.of(fromInstallation, fromEnv, fromNodes,
                            vxlanBackend ? Encapsulation.VXLAN : Encapsulation.UNKNOWN)
                    .filter(e -> e != Encapsulation.UNKNOWN).findFirst().orElse(Encapsulation.UNKNOWN);
        }
        if (d.encapsulation == Encapsulation.UNKNOWN) {
            cluster.warn("calico: encapsulation not visible (no Installation, CALICO_IPV4POOL_* env or node"
                    + " tunnel annotation); give --expect-mtu for a strict MTU check");
        }
        d.detail = "calico " + d.encapsulation.label();
        d.configuredMtu = installation.flatMap(i -> Detection.positiveInt(Detection.path(i, "spec", "calicoNetwork", "mtu"))
                        .map(v -> new ExpectedMtu(v, "Installation default spec.calicoNetwork.mtu", true)))
                .or(() -> config.map(c -> cluster.configuredMtu(c, "calico-config", "veth_mtu")))
                .or(() -> installation.flatMap(i -> Detection.positiveInt(Detection.path(i, "status", "mtu"))
                        .map(v -> new ExpectedMtu(v, "Installation default status.mtu", true))))
                .orElse(null);
        return d;
    }

    @Override
    List<DetectionRead> reads() {
        return List.of(DetectionRead.configMap("calico-config"),
                new DetectionRead("get", "operator.tigera.io", "installations", null, "default"));
    }

    /** Calico's WireGuard header is 60 bytes over IPv4 (80 over IPv6), not the 80 Flannel and Cilium reserve. */
    @Override
    ExpectedMtu expectedMtu(Encapsulation encapsulation, boolean ipv6Underlay) {
        return MtuTable.expected(encapsulation, ipv6Underlay, 60 + (ipv6Underlay ? 20 : 0));
    }

    /** Calico annotates each node with the address of the tunnel device it created. */
    private static Encapsulation nodeEncapsulation(Detection cluster) {
        if (cluster.nodeAnnotation("projectcalico.org/IPv4WireguardInterfaceAddr").isPresent()) {
            return Encapsulation.WIREGUARD;
        }
        if (cluster.nodeAnnotation("projectcalico.org/IPv4VXLANTunnelAddr").isPresent()) {
            return Encapsulation.VXLAN;
        }
        if (cluster.nodeAnnotation("projectcalico.org/IPv4IPIPTunnelAddr").isPresent()) {
            return Encapsulation.IPIP;
        }
        return Encapsulation.UNKNOWN;
    }

    private static Encapsulation encapsulationFromEnv(DaemonSet ds) {
        Map<String, String> env = new HashMap<>();
        Detection.containers(ds).stream()
                .filter(c -> "calico-node".equals(c.getName()) && c.getEnv() != null)
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> e.getValue() != null)
                .forEach((EnvVar e) -> env.put(e.getName(), e.getValue()));
        if ("true".equalsIgnoreCase(env.get("FELIX_WIREGUARDENABLED"))) {
            return Encapsulation.WIREGUARD;
        }
        if (isOn(env.get("CALICO_IPV4POOL_VXLAN"))) {
            return Encapsulation.VXLAN;
        }
        if (isOn(env.get("CALICO_IPV4POOL_IPIP"))) {
            return Encapsulation.IPIP;
        }
        if ("never".equalsIgnoreCase(env.get("CALICO_IPV4POOL_IPIP")) && env.containsKey("CALICO_IPV4POOL_VXLAN")) {
            return Encapsulation.NONE;
        }
        return Encapsulation.UNKNOWN;
    }

    private static boolean isOn(String calicoPoolMode) {
        return calicoPoolMode != null && Set.of("always", "crosssubnet").contains(calicoPoolMode.toLowerCase(Locale.ROOT));
    }

    private static Encapsulation installationEncapsulation(GenericKubernetesResource installation) {
        Object pools = Detection.path(installation, "spec", "calicoNetwork", "ipPools");
        if (!(pools instanceof List<?> list)) {
            return Encapsulation.UNKNOWN;
        }
        for (Object pool : list) {
            if (pool instanceof Map<?, ?> map && map.get("encapsulation") instanceof String e) {
                String v = e.toLowerCase(Locale.ROOT);
                if (v.startsWith("vxlan")) {
                    return Encapsulation.VXLAN;
                }
                if (v.startsWith("ipip")) {
                    return Encapsulation.IPIP;
                }
                if (v.equals("none")) {
                    return Encapsulation.NONE;
                }
            }
        }
        return Encapsulation.UNKNOWN;
    }
}
