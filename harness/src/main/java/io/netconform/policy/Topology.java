package io.netconform.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The pods a case runs on: logical namespaces with their labels, and pods with labels, served ports and
 * (optionally) IPs. Immutable; every {@code with…} returns a new topology.
 *
 * <p>Namespace names are logical ("x", "backend"): the cluster side maps them to run-scoped real
 * namespaces and creates them with {@link #namespaceLabels(String)}. Policies in fixtures name the
 * logical namespaces, so the oracle works on these names.
 */
public final class Topology {

    /** Label every namespace carries in a real cluster; the API server sets it, so the model does too. */
    public static final String METADATA_NAME_LABEL = "kubernetes.io/metadata.name";

    /** One pod: labels, the ports its containers declare (names matter for named ports), its IPs if known. */
    public record Pod(PodId id, Map<String, String> labels, List<Port> ports, List<String> ips) {
        public Pod {
            Objects.requireNonNull(id, "id");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels == null ? Map.of() : labels));
            ports = List.copyOf(ports == null ? List.of() : ports);
            ips = List.copyOf(ips == null ? List.of() : ips);
        }

        /** True when one of this pod's declared ports carries this traffic (number and protocol). */
        public boolean serves(Port port) {
            return ports.stream().anyMatch(p -> p.sameTraffic(port));
        }
    }

    private final Map<String, Map<String, String>> namespaces;
    private final Map<PodId, Pod> pods;

    private Topology(Map<String, Map<String, String>> namespaces, Map<PodId, Pod> pods) {
        this.namespaces = namespaces;
        this.pods = pods;
    }

    /**
     * The upstream Kubernetes e2e model: namespaces x, y, z, pods a, b, c in each, every pod serving
     * 80 and 81 on TCP, UDP and SCTP under names like {@code serve-80-tcp}.
     */
    public static Topology standard() {
        List<Port> ports = new ArrayList<>();
        for (int number : new int[] {80, 81}) {
            for (Protocol protocol : Protocol.values()) {
                ports.add(new Port(number, protocol, "serve-" + number + "-" + protocol.name().toLowerCase()));
            }
        }
        List<String> ids = new ArrayList<>();
        for (String ns : List.of("x", "y", "z")) {
            for (String pod : List.of("a", "b", "c")) {
                ids.add(ns + "/" + pod);
            }
        }
        return of(ids.toArray(String[]::new)).serving(ports.toArray(Port[]::new));
    }

    /**
     * Pods by id ({@code "ns/pod"}); namespaces are created on first mention with labels
     * {@code ns=<name>} and {@code kubernetes.io/metadata.name=<name>}, pods get {@code pod=<name>}.
     * No ports yet: follow with {@link #serving(Port...)}.
     */
    public static Topology of(String... podIds) {
        Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
        Map<PodId, Pod> pods = new LinkedHashMap<>();
        for (String text : podIds) {
            PodId id = PodId.of(text);
            namespaces.computeIfAbsent(id.namespace(), Topology::defaultNamespaceLabels);
            if (pods.put(id, new Pod(id, Map.of("pod", id.name()), List.of(), List.of())) != null) {
                throw new IllegalArgumentException("pod " + id + " is listed twice");
            }
        }
        return new Topology(freeze(namespaces), Collections.unmodifiableMap(pods));
    }

    /** Reads a MODEL.yaml (namespaces with labels, pods with labels, ports and optional IPs). */
    public static Topology fromModelYaml(Path file) {
        return ModelFile.read(file);
    }

    /** An empty topology to build on with {@link #withNamespace} and {@link #withPod}. */
    public static Topology empty() {
        return new Topology(Map.of(), Map.of());
    }

    static Map<String, String> defaultNamespaceLabels(String namespace) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ns", namespace);
        labels.put(METADATA_NAME_LABEL, namespace);
        return labels;
    }

    /** Every pod serves exactly these ports (replacing what it served before). */
    public Topology serving(Port... ports) {
        List<Port> list = Arrays.asList(ports);
        return mapPods(p -> true, p -> new Pod(p.id(), p.labels(), list, p.ips()));
    }

    /** One pod serves exactly these ports. */
    public Topology servingOn(String podId, Port... ports) {
        PodId id = requirePod(podId);
        return mapPods(p -> p.id().equals(id), p -> new Pod(p.id(), p.labels(), Arrays.asList(ports), p.ips()));
    }

    /** Adds (or overwrites) labels on a namespace. */
    public Topology withNamespaceLabels(String namespace, Map<String, String> labels) {
        requireNamespace(namespace);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>(namespaces);
        Map<String, String> merged = new LinkedHashMap<>(namespaces.get(namespace));
        merged.putAll(labels);
        copy.put(namespace, merged);
        return new Topology(freeze(copy), pods);
    }

    /** Declares a namespace (labels as given, plus {@code kubernetes.io/metadata.name}); no pods yet. */
    public Topology withNamespace(String namespace, Map<String, String> labels) {
        if (namespaces.containsKey(namespace)) {
            throw new IllegalArgumentException("namespace " + namespace + " is already declared");
        }
        if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
            throw new IllegalArgumentException("namespace name '" + namespace + "' is empty or contains '/'");
        }
        Map<String, Map<String, String>> copy = new LinkedHashMap<>(namespaces);
        Map<String, String> withName = new LinkedHashMap<>(labels);
        withName.putIfAbsent(METADATA_NAME_LABEL, namespace);
        copy.put(namespace, withName);
        return new Topology(freeze(copy), pods);
    }

    /** Adds a pod to a declared namespace. */
    /** Adds pods in one copy (a model file's hundreds of pods, one {@link #withPod} each, would copy the map each time). */
    public Topology withPods(Collection<Pod> added) {
        Map<PodId, Pod> copy = new LinkedHashMap<>(pods);
        for (Pod pod : added) {
            requireNamespace(pod.id().namespace());
            if (copy.put(pod.id(), pod) != null) {
                throw new IllegalArgumentException("pod " + pod.id() + " is already in the topology");
            }
        }
        return new Topology(namespaces, Collections.unmodifiableMap(copy));
    }

    public Topology withPod(Pod pod) {
        requireNamespace(pod.id().namespace());
        if (pods.containsKey(pod.id())) {
            throw new IllegalArgumentException("pod " + pod.id() + " is already in the topology");
        }
        Map<PodId, Pod> copy = new LinkedHashMap<>(pods);
        copy.put(pod.id(), pod);
        return new Topology(namespaces, Collections.unmodifiableMap(copy));
    }

    /** Adds (or overwrites) labels on a pod. */
    public Topology withPodLabels(String podId, Map<String, String> labels) {
        PodId id = requirePod(podId);
        return mapPods(p -> p.id().equals(id), p -> {
            Map<String, String> merged = new LinkedHashMap<>(p.labels());
            merged.putAll(labels);
            return new Pod(p.id(), merged, p.ports(), p.ips());
        });
    }

    /** Sets a pod's IPs (one per family on dual-stack clusters); ipBlock peers match only pods with IPs. */
    public Topology withIp(String podId, String... ips) {
        PodId id = requirePod(podId);
        for (String ip : ips) {
            Cidr.parseAddress(ip);
        }
        return mapPods(p -> p.id().equals(id), p -> new Pod(p.id(), p.labels(), p.ports(), Arrays.asList(ips)));
    }

    /**
     * The IP families every pod has an address of, in the order of the first pod's addresses (the cluster's primary
     * family first); empty while pods have no IPs. A single-stack cluster gives one, a dual-stack one two.
     */
    public List<IpFamily> families() {
        List<Pod> all = pods();
        if (all.isEmpty()) {
            return List.of();
        }
        return all.get(0).ips().stream().map(IpFamily::of).distinct()
                .filter(f -> all.stream().allMatch(p -> p.ips().stream().anyMatch(ip -> IpFamily.of(ip) == f)))
                .toList();
    }

    /**
     * This topology as traffic of one family sees it: every pod keeps only its addresses of that family. ipBlock and
     * networks peers match by address, so an IPv4 CIDR matches no pod here when the family is IPv6 — which is what an
     * IPv6 packet meets on the wire.
     */
    public Topology only(IpFamily family) {
        return mapPods(p -> true, p -> new Pod(p.id(), p.labels(), p.ports(),
                p.ips().stream().filter(ip -> IpFamily.of(ip) == family).toList()));
    }

    /** The pod's first address of the family; a pod without one is an error (families() names those every pod has). */
    public String ip(PodId pod, IpFamily family) {
        return pod(pod).ips().stream().filter(ip -> IpFamily.of(ip) == family).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pod " + pod + " has no " + family + " address: "
                        + pod(pod).ips()));
    }

    public List<String> namespaces() {
        return List.copyOf(namespaces.keySet());
    }

    public Map<String, String> namespaceLabels(String namespace) {
        requireNamespace(namespace);
        return namespaces.get(namespace);
    }

    /** All pods, in declaration order (the order of grid rows and columns). */
    public List<Pod> pods() {
        return List.copyOf(pods.values());
    }

    public List<PodId> podIds() {
        return List.copyOf(pods.keySet());
    }

    public Pod pod(PodId id) {
        Pod pod = pods.get(id);
        if (pod == null) {
            throw new IllegalArgumentException("pod " + id + " is not in the topology (pods: " + pods.keySet() + ")");
        }
        return pod;
    }

    public Pod pod(String id) {
        return pod(PodId.of(id));
    }

    public List<Pod> podsIn(String namespace) {
        return pods.values().stream().filter(p -> p.id().namespace().equals(namespace)).toList();
    }

    private Topology mapPods(java.util.function.Predicate<Pod> which, UnaryOperator<Pod> change) {
        Map<PodId, Pod> copy = new LinkedHashMap<>();
        pods.forEach((id, pod) -> copy.put(id, which.test(pod) ? change.apply(pod) : pod));
        return new Topology(namespaces, Collections.unmodifiableMap(copy));
    }

    private PodId requirePod(String podId) {
        return pod(podId).id();
    }

    private void requireNamespace(String namespace) {
        if (!namespaces.containsKey(namespace)) {
            throw new IllegalArgumentException("namespace " + namespace + " is not in the topology (namespaces: "
                    + namespaces.keySet() + ")");
        }
    }

    private static Map<String, Map<String, String>> freeze(Map<String, Map<String, String>> namespaces) {
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        namespaces.forEach((ns, labels) -> frozen.put(ns, Collections.unmodifiableMap(new LinkedHashMap<>(labels))));
        return Collections.unmodifiableMap(frozen);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && namespaces.equals(t.namespaces) && pods.equals(t.pods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaces, pods);
    }

    @Override
    public String toString() {
        return "Topology" + pods.keySet();
    }
}
