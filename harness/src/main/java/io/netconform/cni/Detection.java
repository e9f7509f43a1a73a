package io.netconform.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.netconform.report.Json;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link Cni} sees of the cluster while it is recognised: the objects (each read once, a refused read a
 * warning), the warnings it adds, and the readings several CNIs share (node annotations, flannel's
 * net-conf.json, an MTU key in a ConfigMap, image tags).
 */
final class Detection {
    static final String FLANNEL_BACKEND_ANNOTATION = "flannel.alpha.coreos.com/backend-type";

    final ClusterObjects cluster;
    final List<String> warnings = new ArrayList<>();

    Detection(ClusterObjects cluster) {
        this.cluster = cluster;
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    Optional<String> nodeAnnotation(String key) {
        return cluster.nodes().stream()
                .map(n -> n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(key))
                .filter(Objects::nonNull).findFirst();
    }

    Optional<Encapsulation> nodeFlannelBackend() {
        return nodeAnnotation(FLANNEL_BACKEND_ANNOTATION).map(Encapsulation::ofFlannelBackend)
                .filter(e -> e != Encapsulation.UNKNOWN);
    }

    /** The kubelet version of the first node running K3s ("v1.33.1+k3s1"), if any. */
    Optional<String> k3sVersion() {
        return cluster.nodes().stream()
                .map(n -> n.getStatus() == null || n.getStatus().getNodeInfo() == null
                        ? null : n.getStatus().getNodeInfo().getKubeletVersion())
                .filter(v -> v != null && v.contains("+k3s")).findFirst();
    }

    List<String> internalIps() {
        return cluster.nodes().stream()
                .filter(n -> n.getStatus() != null && n.getStatus().getAddresses() != null)
                .flatMap(n -> n.getStatus().getAddresses().stream())
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).filter(Objects::nonNull).toList();
    }

    /** Families of the nodes' podCIDRs, or of their InternalIPs when the IPAM leaves podCIDRs empty. */
    Set<String> ipFamilies() {
        Set<String> families = new LinkedHashSet<>();
        for (Node node : cluster.nodes()) {
            if (node.getSpec() == null) {
                continue;
            }
            List<String> cidrs = Optional.ofNullable(node.getSpec().getPodCIDRs()).filter(l -> !l.isEmpty())
                    .orElse(node.getSpec().getPodCIDR() == null ? List.of() : List.of(node.getSpec().getPodCIDR()));
            cidrs.forEach(c -> families.add(CniProfile.ipFamily(c)));
        }
        if (families.isEmpty()) {
            // some IPAMs (Calico, Cilium cluster-pool) leave podCIDRs empty; the nodes' own addresses are the next best hint
            internalIps().forEach(ip -> families.add(CniProfile.ipFamily(ip)));
        }
        return families;
    }

    boolean ipv6Underlay() {
        List<String> ips = internalIps();
        return !ips.isEmpty() && ips.stream().allMatch(ip -> ip.contains(":"));
    }

    /** When flannel's net-conf.json said nothing: the backend annotated on the nodes, else flannel's default VXLAN. */
    Encapsulation flannelDefault(Encapsulation fromConfig) {
        return fromConfig != Encapsulation.UNKNOWN ? fromConfig : nodeFlannelBackend().orElse(Encapsulation.VXLAN);
    }

    /** Flannel's backend from a ConfigMap's {@code net-conf.json} (Canal and Flannel ship one), into {@code d}. */
    void flannelBackend(ConfigMap cm, Draft d) {
        String netConf = data(cm, "net-conf.json");
        if (netConf == null) {
            return;
        }
        try {
            JsonNode type = Json.MAPPER.readTree(netConf).path("Backend").path("Type");
            if (type.isTextual()) {
                d.encapsulation = Encapsulation.ofFlannelBackend(type.asText());
                if (d.encapsulation == Encapsulation.UNKNOWN) {
                    warn("flannel backend '" + type.asText() + "' in ConfigMap " + cm.getMetadata().getName()
                            + " has no MTU table entry");
                }
            }
        } catch (JsonProcessingException e) {
            warn("ConfigMap " + cm.getMetadata().getName() + " net-conf.json is not JSON ("
                    + e.getOriginalMessage() + "); backend taken from node annotations");
        }
    }

    /** The first of {@code keys} holding a positive number; "0" means auto-detect in Calico and Cilium. */
    ExpectedMtu configuredMtu(ConfigMap cm, String cmName, String... keys) {
        for (String key : keys) {
            String raw = data(cm, key);
            if (raw == null || raw.isBlank()) {
                continue;
            }
            try {
                int v = Integer.parseInt(raw.trim());
                if (v >= ExpectedMtu.MIN && v <= ExpectedMtu.MAX) {
                    return new ExpectedMtu(v, cmName + " " + key, true);
                }
                if (v != 0) {
                    warn("ConfigMap " + cmName + " " + key + "=" + raw + " is not a usable MTU; ignored");
                }
            } catch (NumberFormatException e) {
                warn("ConfigMap " + cmName + " " + key + "='" + raw + "' is not a number; ignored");
            }
        }
        return null;
    }

    static Set<String> containerNames(DaemonSet ds) {
        Set<String> names = new LinkedHashSet<>();
        containers(ds).forEach(c -> names.add(c.getName()));
        return names;
    }

    static List<Container> containers(DaemonSet ds) {
        if (ds.getSpec() == null || ds.getSpec().getTemplate() == null || ds.getSpec().getTemplate().getSpec() == null
                || ds.getSpec().getTemplate().getSpec().getContainers() == null) {
            return List.of();
        }
        return ds.getSpec().getTemplate().getSpec().getContainers();
    }

    static String ref(DaemonSet ds) {
        return ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
    }

    /** "DaemonSet kube-system/rke2-canal": what a draft's detection rests on. */
    static String source(DaemonSet ds) {
        return "DaemonSet " + ref(ds);
    }

    /** The tag of the named container's image (the first container's if none has that name), or null. */
    static String imageVersion(DaemonSet ds, String container) {
        List<Container> containers = containers(ds);
        return containers.stream().filter(c -> container.equals(c.getName())).findFirst()
                .or(() -> containers.stream().findFirst())
                .map(c -> imageTag(c.getImage())).orElse(null);
    }

    /** "rancher/hardened-calico:v3.29.1-build20250117" → "v3.29.1"; a digest-only or untagged image → null. */
    static String imageTag(String image) {
        if (image == null) {
            return null;
        }
        String s = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = s.lastIndexOf(':');
        if (colon <= s.lastIndexOf('/')) {
            return null;
        }
        // RKE2's hardened images append the build date to the upstream version
        return s.substring(colon + 1).replaceFirst("-build\\d+$", "");
    }

    static String data(ConfigMap cm, String key) {
        return cm.getData() == null ? null : cm.getData().get(key);
    }

    static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    static Object path(GenericKubernetesResource r, String... keys) {
        Object current = r.getAdditionalProperties();
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static Optional<Integer> positiveInt(Object value) {
        if (value instanceof Number n && n.intValue() > 0) {
            return Optional.of(n.intValue());
        }
        return Optional.empty();
    }
}
