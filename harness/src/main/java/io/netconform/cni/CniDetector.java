package io.netconform.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out the {@link CniProfile} from what the API server shows: each known {@link Cni} recognises its own
 * DaemonSets and reads its own configuration; this class adds what every CNI shares (IP families, the
 * expected MTU, kube-proxy, Multus, the health of the CNI's pods). Reads only APIs Kubernetes 1.20 serves;
 * anything it may not read becomes a warning in the profile.
 */
public final class CniDetector {
    /**
     * What detection reads whatever the CNI: DaemonSets (listed in the CNIs' namespaces, read again by name for
     * the end-of-run health check), nodes, pods (kube-proxy's, the CNI's) and kube-proxy's ConfigMap.
     */
    static final List<DetectionRead> READS = List.of(
            DetectionRead.anywhere("list", "apps", "daemonsets"),
            DetectionRead.anywhere("get", "apps", "daemonsets"),
            DetectionRead.anywhere("list", "", "nodes"),
            DetectionRead.anywhere("list", "", "pods"),
            DetectionRead.configMap("kube-proxy"));

    private final ClusterObjects cluster;
    private final List<Cni> cnis;
    private final Detection detection;

    private CniDetector(ClusterObjects cluster, List<Cni> cnis) {
        this.cluster = cluster;
        this.cnis = cnis;
        this.detection = new Detection(cluster);
    }

    public static CniProfile detect(KubernetesClient client) {
        return detect(client, Cnis.KNOWN);
    }

    static CniProfile detect(KubernetesClient client, List<Cni> cnis) {
        return new CniDetector(new ClusterObjects(client, Cnis.namespaces(cnis)), cnis).profile();
    }

    /**
     * A fresh health snapshot of the DaemonSets {@code profile} was detected from; compare it with
     * {@code profile.health()} via {@link CniHealth#restartsSince}. A DaemonSet that can no longer be read
     * counts as 0 ready.
     */
    public static CniHealth health(KubernetesClient client, CniProfile profile) {
        ClusterObjects cluster = new ClusterObjects(client, List.of());
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
        // each DaemonSet belongs to the first CNI (in detection order) that runs it
        Map<Cni, List<DaemonSet>> running = new LinkedHashMap<>();
        List<DaemonSet> multus = new ArrayList<>();
        for (DaemonSet ds : cluster.daemonSets()) {
            cnis.stream().filter(c -> c.runs(ds)).findFirst()
                    .ifPresent(c -> running.computeIfAbsent(c, k -> new ArrayList<>()).add(ds));
            if (Multus.runs(ds)) {
                multus.add(ds);
            }
        }
        List<DaemonSet> primaries = cnis.stream().flatMap(c -> running.getOrDefault(c, List.of()).stream()).toList();
        Set<String> families = detection.ipFamilies();
        Draft draft = cnis.stream().filter(running::containsKey).findFirst()
                .map(c -> c.detect(running.get(c).get(0), detection))
                .or(() -> cnis.stream().flatMap(c -> c.detectWithoutDaemonSet(detection).stream()).findFirst())
                .orElseGet(this::unknown);
        if (primaries.size() > 1) {
            detection.warn("more than one CNI DaemonSet (" + primaries.stream().map(Detection::ref).toList()
                    + "); using " + draft.source + " (a migration in progress?)");
        }
        families.addAll(draft.extraFamilies);

        ExpectedMtu mtu = draft.configuredMtu != null ? draft.configuredMtu
                : draft.cni.expectedMtu(draft.encapsulation, detection.ipv6Underlay());

        List<DaemonSet> watched = new ArrayList<>(primaries.isEmpty() ? List.of() : List.of(primaries.get(0)));
        watched.addAll(multus);
        List<CniHealth.DaemonSetState> states = watched.stream().map(HealthSnapshot::state).toList();
        List<CniHealth.PodState> pods = watched.stream().flatMap(ds -> HealthSnapshot.podStates(cluster, ds).stream()).toList();

        KubeProxy kubeProxy = KubeProxyDetection.detect(cluster, draft.kubeProxyReplacement, draft.k3s, detection.warnings);
        List<String> allWarnings = new ArrayList<>(cluster.warnings());
        allWarnings.addAll(detection.warnings);
        return new CniProfile(draft.cni, draft.version, draft.detail, draft.source, multus(multus),
                draft.policy, draft.encapsulation, mtu, families, kubeProxy, new CniHealth(states, pods), allWarnings);
    }

    /** No CNI pods and no other signal: a CNI configured on the nodes, or one the harness does not know. */
    private Draft unknown() {
        Optional<String> k3sVersion = detection.k3sVersion();
        Draft d = new Draft(Cnis.UNKNOWN, null, "no CNI DaemonSet in " + cluster.cniNamespaces()
                + (k3sVersion.isPresent() ? " and no flannel annotation on k3s nodes (k3s with --flannel-backend=none?)" : ""));
        d.k3s = k3sVersion.isPresent();
        detection.warn(CniProfile.UNKNOWN_CNI_WARNING);
        detection.warn("no CNI found among DaemonSets or node annotations: the CNI may be configured on the nodes"
                + " (e.g. bridge); give --cni and --expect-mtu to check against a known CNI");
        return d;
    }

    private Multus multus(List<DaemonSet> daemonSets) {
        Optional<Integer> definitions = cluster.networkAttachmentDefinitions();
        String count = definitions.map(n -> ", " + n + " NetworkAttachmentDefinition" + (n == 1 ? "" : "s")).orElse("");
        if (!daemonSets.isEmpty()) {
            DaemonSet ds = daemonSets.get(0);
            return new Multus(true, Detection.imageVersion(ds, "kube-multus"), Detection.source(ds) + count);
        }
        // the CRD alone may be left over from an uninstall: only definitions in use count as Multus
        if (definitions.orElse(0) > 0) {
            return new Multus(true, null, "no Multus DaemonSet found" + count);
        }
        return Multus.ABSENT;
    }
}
