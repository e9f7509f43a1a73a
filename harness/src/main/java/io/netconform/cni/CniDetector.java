package io.netconform.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Works out the {@link CniProfile} from what the API server shows: the CNI's DaemonSets and ConfigMaps,
 * node annotations and versions, the kube-proxy DaemonSet, ConfigMap or static pods. Names are the ones
 * the CNIs' manifests, RKE2's charts and K3s use. Reads only APIs Kubernetes 1.20 serves; anything it may
 * not read becomes a warning in the profile.
 */
public final class CniDetector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLANNEL_BACKEND_ANNOTATION = "flannel.alpha.coreos.com/backend-type";

    private final ClusterObjects cluster;
    private final List<String> warnings = new ArrayList<>();

    private CniDetector(ClusterObjects cluster) {
        this.cluster = cluster;
    }

    public static CniProfile detect(KubernetesClient client) {
        return new CniDetector(new ClusterObjects(client)).profile();
    }

    /**
     * A fresh health snapshot of the DaemonSets {@code profile} was detected from; compare it with
     * {@code profile.health()} via {@link CniHealth#restartsSince}. A DaemonSet that can no longer be read
     * counts as 0 ready.
     */
    public static CniHealth health(KubernetesClient client, CniProfile profile) {
        ClusterObjects cluster = new ClusterObjects(client);
        List<CniHealth.DaemonSetState> states = new ArrayList<>();
        List<CniHealth.PodState> pods = new ArrayList<>();
        for (CniHealth.DaemonSetState before : profile.health().daemonSets()) {
            Optional<DaemonSet> now = cluster.daemonSet(before.namespace(), before.name());
            if (now.isPresent()) {
                states.add(HealthSnapshot.state(now.get()));
                pods.addAll(HealthSnapshot.podStates(cluster, now.get()));
            } else {
                states.add(new CniHealth.DaemonSetState(before.namespace(), before.name(), before.desired(), 0));
            }
        }
        return new CniHealth(states, pods);
    }

    private CniProfile profile() {
        List<DaemonSet> found = cluster.daemonSets();
        List<DaemonSet> canal = found.stream().filter(CniDetector::isCanal).toList();
        List<DaemonSet> cilium = found.stream().filter(ds -> is(ds, Set.of("cilium"), "cilium-agent")).toList();
        List<DaemonSet> calico = found.stream()
                .filter(ds -> !isCanal(ds) && is(ds, Set.of("calico-node", "rke2-calico"), "calico-node")).toList();
        List<DaemonSet> flannel = found.stream().filter(ds -> !isCanal(ds) && isFlannel(ds)).toList();
        List<DaemonSet> multus = found.stream().filter(CniDetector::isMultus).toList();

        List<DaemonSet> primaries = Stream.of(canal, cilium, calico, flannel).flatMap(List::stream).toList();
        Set<String> families = ipFamilies();
        Draft draft;
        if (!canal.isEmpty()) {
            draft = canal(canal.get(0));
        } else if (!cilium.isEmpty()) {
            draft = cilium(cilium.get(0), families);
        } else if (!calico.isEmpty()) {
            draft = calico(Optional.of(calico.get(0)));
        } else if (!flannel.isEmpty()) {
            draft = flannel(flannel.get(0));
        } else {
            draft = withoutDaemonSet();
        }
        if (primaries.size() > 1) {
            warnings.add("more than one CNI DaemonSet (" + primaries.stream().map(CniDetector::ref).toList()
                    + "); using " + draft.source + " (a migration in progress?)");
        }
        families.addAll(draft.extraFamilies);

        ExpectedMtu mtu = draft.configuredMtu != null ? draft.configuredMtu
                : CniProfile.UNKNOWN.equals(draft.name) ? ExpectedMtu.unknown("unknown CNI")
                : MtuTable.expected(draft.name, draft.encapsulation, ipv6Underlay());

        List<DaemonSet> watched = new ArrayList<>(primaries.isEmpty() ? List.of() : List.of(primaries.get(0)));
        watched.addAll(multus);
        List<CniHealth.DaemonSetState> states = watched.stream().map(HealthSnapshot::state).toList();
        List<CniHealth.PodState> pods = watched.stream().flatMap(ds -> HealthSnapshot.podStates(cluster, ds).stream()).toList();

        List<String> allWarnings = new ArrayList<>(cluster.warnings());
        allWarnings.addAll(warnings);
        return new CniProfile(draft.name, draft.version, draft.detail, draft.source, multus(multus),
                draft.policy, draft.encapsulation, mtu, families,
                KubeProxyDetection.detect(cluster, draft.kubeProxyReplacement, draft.k3s, warnings), new CniHealth(states, pods),
                allWarnings);
    }

    /** What one CNI's recognition found, before the parts every CNI shares are added. */
    private static final class Draft {
        String name;
        String version;
        String detail;
        String source;
        NetworkPolicySupport policy;
        Encapsulation encapsulation = Encapsulation.UNKNOWN;
        ExpectedMtu configuredMtu;
        KubeProxy kubeProxyReplacement;
        boolean k3s;
        final Set<String> extraFamilies = new LinkedHashSet<>();

        Draft(String name, String version, String source) {
            this.name = name;
            this.version = version;
            this.source = source;
            this.detail = CniProfile.defaultDetail(name);
            this.policy = CniProfile.defaultPolicy(name);
        }
    }

    private Draft canal(DaemonSet ds) {
        Draft d = new Draft(CniProfile.CANAL, imageVersion(ds, "calico-node"), "DaemonSet " + ref(ds));
        String ns = ds.getMetadata().getNamespace();
        // RKE2's chart names the ConfigMap rke2-canal-config, the upstream manifest canal-config
        for (String name : List.of("rke2-canal-config", "canal-config")) {
            Optional<ConfigMap> cm = cluster.configMap(ns, name);
            if (cm.isPresent()) {
                flannelBackend(cm.get(), d);
                d.configuredMtu = configuredMtu(cm.get(), name, "veth_mtu", "mtu");
                break;
            }
        }
        if (d.encapsulation == Encapsulation.UNKNOWN) {
            d.encapsulation = nodeFlannelBackend().orElse(Encapsulation.VXLAN);
        }
        d.detail = "flannel " + d.encapsulation.label() + ", calico policy";
        return d;
    }

    private Draft calico(Optional<DaemonSet> ds) {
        Draft d = new Draft(CniProfile.CALICO, ds.map(x -> imageVersion(x, "calico-node")).orElse(null),
                ds.map(x -> "DaemonSet " + ref(x)).orElse("Installation default (operator.tigera.io)"));
        Optional<GenericKubernetesResource> installation = cluster.calicoInstallation();
        Encapsulation fromEnv = ds.map(CniDetector::calicoEncapsulationFromEnv).orElse(Encapsulation.UNKNOWN);
        Encapsulation fromInstallation = installation.map(CniDetector::installationEncapsulation).orElse(Encapsulation.UNKNOWN);
        Encapsulation fromNodes = calicoNodeEncapsulation();
        Optional<ConfigMap> config = ds.map(x -> x.getMetadata().getNamespace())
                .flatMap(ns -> cluster.configMap(ns, "calico-config"))
                .or(() -> cluster.configMap("kube-system", "calico-config"));
        boolean vxlanBackend = config.map(c -> "vxlan".equalsIgnoreCase(data(c, "calico_backend"))).orElse(false);

        if (fromEnv == Encapsulation.WIREGUARD || fromNodes == Encapsulation.WIREGUARD) {
            d.encapsulation = Encapsulation.WIREGUARD;
        } else {
            d.encapsulation = Stream.of(fromInstallation, fromEnv, fromNodes,
                            vxlanBackend ? Encapsulation.VXLAN : Encapsulation.UNKNOWN)
                    .filter(e -> e != Encapsulation.UNKNOWN).findFirst().orElse(Encapsulation.UNKNOWN);
        }
        if (d.encapsulation == Encapsulation.UNKNOWN) {
            warnings.add("calico: encapsulation not visible (no Installation, CALICO_IPV4POOL_* env or node"
                    + " tunnel annotation); give --expect-mtu for a strict MTU check");
        }
        d.detail = "calico " + d.encapsulation.label();
        d.configuredMtu = installation.flatMap(i -> positiveInt(path(i, "spec", "calicoNetwork", "mtu"))
                        .map(v -> new ExpectedMtu(v, "Installation default spec.calicoNetwork.mtu", true)))
                .or(() -> config.map(c -> configuredMtu(c, "calico-config", "veth_mtu")))
                .or(() -> installation.flatMap(i -> positiveInt(path(i, "status", "mtu"))
                        .map(v -> new ExpectedMtu(v, "Installation default status.mtu", true))))
                .orElse(null);
        return d;
    }

    private Draft cilium(DaemonSet ds, Set<String> nodeFamilies) {
        Draft d = new Draft(CniProfile.CILIUM, imageVersion(ds, "cilium-agent"), "DaemonSet " + ref(ds));
        Optional<ConfigMap> cm = cluster.configMap(ds.getMetadata().getNamespace(), "cilium-config");
        if (cm.isEmpty()) {
            warnings.add("cilium: ConfigMap " + ds.getMetadata().getNamespace()
                    + "/cilium-config not readable; assuming Cilium's defaults (VXLAN tunnel)");
            d.encapsulation = Encapsulation.VXLAN;
            return d;
        }
        ConfigMap config = cm.get();
        String routingMode = lower(data(config, "routing-mode"));
        String tunnel = lower(data(config, "tunnel"));
        Encapsulation tunnelled;
        String how;
        if ("native".equals(routingMode)) {
            tunnelled = Encapsulation.NONE;
            how = "native routing";
        } else if ("tunnel".equals(routingMode) || tunnel == null) {
            // routing-mode (1.14+) supersedes the deprecated "tunnel" key; Cilium defaults to a VXLAN tunnel
            tunnelled = "geneve".equals(lower(data(config, "tunnel-protocol"))) ? Encapsulation.GENEVE : Encapsulation.VXLAN;
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
        boolean wireguard = "true".equals(lower(data(config, "enable-wireguard")));
        d.encapsulation = wireguard ? Encapsulation.WIREGUARD : tunnelled;
        d.detail = "eBPF, " + how + (wireguard ? ", WireGuard encryption" : "");
        d.configuredMtu = configuredMtu(config, "cilium-config", "mtu");
        if ("never".equals(lower(data(config, "enable-policy")))) {
            d.policy = NetworkPolicySupport.notEnforced("cilium-config enable-policy=never");
        }
        String kpr = lower(data(config, "kube-proxy-replacement"));
        if ("true".equals(kpr) || "strict".equals(kpr)) {
            d.kubeProxyReplacement = new KubeProxy(KubeProxy.Mode.REPLACED,
                    "cilium-config kube-proxy-replacement=" + kpr);
        }
        if ("true".equals(lower(data(config, "enable-ipv6")))) {
            d.extraFamilies.add("IPv6");
        }
        if ("true".equals(lower(data(config, "enable-ipv4"))) && nodeFamilies.isEmpty()) {
            d.extraFamilies.add("IPv4");
        }
        return d;
    }

    private Draft flannel(DaemonSet ds) {
        Draft d = new Draft(CniProfile.FLANNEL, imageVersion(ds, "kube-flannel"), "DaemonSet " + ref(ds));
        cluster.configMap(ds.getMetadata().getNamespace(), "kube-flannel-cfg").ifPresent(cm -> flannelBackend(cm, d));
        if (d.encapsulation == Encapsulation.UNKNOWN) {
            d.encapsulation = nodeFlannelBackend().orElse(Encapsulation.VXLAN);
        }
        d.detail = "flannel " + d.encapsulation.label() + ", no policy engine";
        return d;
    }

    /** No CNI pods: K3s (flannel and kube-router run inside the k3s process), a Calico still installing, or unknown. */
    private Draft withoutDaemonSet() {
        Optional<String> k3sVersion = cluster.nodes().stream()
                .map(n -> n.getStatus() == null || n.getStatus().getNodeInfo() == null
                        ? null : n.getStatus().getNodeInfo().getKubeletVersion())
                .filter(v -> v != null && v.contains("+k3s")).findFirst();
        Optional<String> backend = nodeAnnotation(FLANNEL_BACKEND_ANNOTATION);
        if (k3sVersion.isPresent() && backend.isPresent()) {
            Draft d = new Draft(CniProfile.K3S_FLANNEL, k3sVersion.get(),
                    "node annotation " + FLANNEL_BACKEND_ANNOTATION + "=" + backend.get() + " on k3s " + k3sVersion.get());
            d.k3s = true;
            d.encapsulation = Encapsulation.ofFlannelBackend(backend.get());
            d.detail = "flannel " + backend.get() + " and kube-router policy inside k3s";
            return d;
        }
        if (cluster.calicoInstallation().isPresent()) {
            warnings.add("calico: Installation default exists but no calico-node DaemonSet was found (still installing?)");
            return calico(Optional.empty());
        }
        Draft d = new Draft(CniProfile.UNKNOWN, null, "no CNI DaemonSet in " + ClusterObjects.CNI_NAMESPACES
                + (k3sVersion.isPresent() ? " and no flannel annotation on k3s nodes (k3s with --flannel-backend=none?)" : ""));
        d.k3s = k3sVersion.isPresent();
        warnings.add(CniProfile.UNKNOWN_CNI_WARNING);
        warnings.add("no CNI found among DaemonSets or node annotations: the CNI may be configured on the nodes"
                + " (e.g. bridge); give --cni and --expect-mtu to check against a known CNI");
        return d;
    }

    private Multus multus(List<DaemonSet> daemonSets) {
        Optional<Integer> definitions = cluster.networkAttachmentDefinitions();
        String count = definitions.map(n -> ", " + n + " NetworkAttachmentDefinition" + (n == 1 ? "" : "s")).orElse("");
        if (!daemonSets.isEmpty()) {
            DaemonSet ds = daemonSets.get(0);
            return new Multus(true, imageVersion(ds, "kube-multus"), "DaemonSet " + ref(ds) + count);
        }
        // the CRD alone may be left over from an uninstall: only definitions in use count as Multus
        if (definitions.orElse(0) > 0) {
            return new Multus(true, null, "no Multus DaemonSet found" + count);
        }
        return Multus.ABSENT;
    }

    private Set<String> ipFamilies() {
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

    private boolean ipv6Underlay() {
        List<String> ips = internalIps();
        return !ips.isEmpty() && ips.stream().allMatch(ip -> ip.contains(":"));
    }

    private List<String> internalIps() {
        return cluster.nodes().stream()
                .filter(n -> n.getStatus() != null && n.getStatus().getAddresses() != null)
                .flatMap(n -> n.getStatus().getAddresses().stream())
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).filter(Objects::nonNull).toList();
    }

    private Optional<String> nodeAnnotation(String key) {
        return cluster.nodes().stream()
                .map(n -> n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(key))
                .filter(Objects::nonNull).findFirst();
    }

    private Optional<Encapsulation> nodeFlannelBackend() {
        return nodeAnnotation(FLANNEL_BACKEND_ANNOTATION).map(Encapsulation::ofFlannelBackend)
                .filter(e -> e != Encapsulation.UNKNOWN);
    }

    /** Calico annotates each node with the address of the tunnel device it created. */
    private Encapsulation calicoNodeEncapsulation() {
        if (nodeAnnotation("projectcalico.org/IPv4WireguardInterfaceAddr").isPresent()) {
            return Encapsulation.WIREGUARD;
        }
        if (nodeAnnotation("projectcalico.org/IPv4VXLANTunnelAddr").isPresent()) {
            return Encapsulation.VXLAN;
        }
        if (nodeAnnotation("projectcalico.org/IPv4IPIPTunnelAddr").isPresent()) {
            return Encapsulation.IPIP;
        }
        return Encapsulation.UNKNOWN;
    }

    private static Encapsulation calicoEncapsulationFromEnv(DaemonSet ds) {
        Map<String, String> env = new HashMap<>();
        containers(ds).stream()
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
        Object pools = path(installation, "spec", "calicoNetwork", "ipPools");
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

    private void flannelBackend(ConfigMap cm, Draft d) {
        String netConf = data(cm, "net-conf.json");
        if (netConf == null) {
            return;
        }
        try {
            JsonNode type = JSON.readTree(netConf).path("Backend").path("Type");
            if (type.isTextual()) {
                d.encapsulation = Encapsulation.ofFlannelBackend(type.asText());
                if (d.encapsulation == Encapsulation.UNKNOWN) {
                    warnings.add("flannel backend '" + type.asText() + "' in ConfigMap " + cm.getMetadata().getName()
                            + " has no MTU table entry");
                }
            }
        } catch (JsonProcessingException e) {
            warnings.add("ConfigMap " + cm.getMetadata().getName() + " net-conf.json is not JSON ("
                    + e.getOriginalMessage() + "); backend taken from node annotations");
        }
    }

    /** The first of {@code keys} holding a positive number; "0" means auto-detect in Calico and Cilium. */
    private ExpectedMtu configuredMtu(ConfigMap cm, String cmName, String... keys) {
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
                    warnings.add("ConfigMap " + cmName + " " + key + "=" + raw + " is not a usable MTU; ignored");
                }
            } catch (NumberFormatException e) {
                warnings.add("ConfigMap " + cmName + " " + key + "='" + raw + "' is not a number; ignored");
            }
        }
        return null;
    }

    private static boolean isCanal(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        Set<String> containers = containerNames(ds);
        return name.equals("rke2-canal") || name.equals("canal")
                || (containers.contains("calico-node") && containers.contains("kube-flannel"));
    }

    private static boolean isFlannel(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        // older manifests ran one DaemonSet per architecture: kube-flannel-ds-amd64, ...
        return name.startsWith("kube-flannel-ds") || name.equals("rke2-flannel") || containerNames(ds).contains("kube-flannel");
    }

    private static boolean isMultus(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        return name.startsWith("kube-multus-ds") || name.startsWith("rke2-multus") || containerNames(ds).contains("kube-multus");
    }

    private static boolean is(DaemonSet ds, Set<String> names, String container) {
        return names.contains(ds.getMetadata().getName()) || containerNames(ds).contains(container);
    }

    private static Set<String> containerNames(DaemonSet ds) {
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

    private static String ref(DaemonSet ds) {
        return ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
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

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    private static Object path(GenericKubernetesResource r, String... keys) {
        Object current = r.getAdditionalProperties();
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static Optional<Integer> positiveInt(Object value) {
        if (value instanceof Number n && n.intValue() > 0) {
            return Optional.of(n.intValue());
        }
        return Optional.empty();
    }
}
