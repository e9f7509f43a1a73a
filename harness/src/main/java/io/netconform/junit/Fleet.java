package io.netconform.junit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.Images;
import io.netconform.cluster.NodePair;
import io.netconform.cluster.Placement;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.RunNamespaces;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PodRef;
import io.netconform.policy.IpFamily;
import io.netconform.policy.Port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The run's shared probe pods for the connectivity, MTU and DNS suites: one netshoot pod per sampled node
 * (each a client and a server), a second one on the first node so same-node pairs exist, an nginx pod behind
 * a ClusterIP Service, and a busybox pod. Deployed once per run because pod start-up dominates a run's time.
 */
public final class Fleet {

    public static final Port TCP = Port.tcp(8080).named("tcp-8080");
    public static final Port UDP = Port.udp(8081).named("udp-8081");
    public static final Port SCTP = Port.sctp(8082).named("sctp-8082");
    public static final List<Port> SERVED = List.of(TCP, UDP, SCTP);
    public static final String SERVICE = "web";
    static final String CONTAINER = "probe";

    /** One deployed pod: its reference for exec, its node and its IPs per family. */
    public record Member(String name, String node, PodRef ref, Map<IpFamily, String> ips, String image) {
        public Optional<String> ip(IpFamily family) {
            return Optional.ofNullable(ips.get(family));
        }

        @Override
        public String toString() {
            return name + "@" + node;
        }
    }

    /** A source and destination of traffic, on one node pair, in one IP family. */
    public record Path(Member from, Member to, NodePair nodes, IpFamily family) {
        public String toIp() {
            return to.ip(family).orElseThrow();
        }

        public String label() {
            return from.node() + " → " + to.node() + (nodes.sameNode() ? " (same node, " : " (cross node, ")
                    + family.label() + ")";
        }
    }

    private final String namespace;
    private final Placement placement;
    private final Map<String, Member> probesByNode;
    private final Member peer;
    private final Member web;
    private final Member mini;
    private final String serviceIp;

    private Fleet(String namespace, Placement placement, Map<String, Member> probesByNode, Member peer, Member web,
                  Member mini, String serviceIp) {
        this.namespace = namespace;
        this.placement = placement;
        this.probesByNode = probesByNode;
        this.peer = peer;
        this.web = web;
        this.mini = mini;
        this.serviceIp = serviceIp;
    }

    static Fleet deploy(KubernetesClient client, RunNamespaces namespaces, Placement placement, Images images,
                        Duration readyTimeout) {
        String ns = namespaces.create("fleet", "fleet", Map.of());
        List<String> nodes = placement.nodes();
        String first = nodes.get(0);
        Map<String, Pod> wanted = new LinkedHashMap<>();
        for (String node : nodes) {
            wanted.put(podName("probe", node), onNode(TestPods.netshootServer(images, podName("probe", node), SERVED)
                    .build(), node));
        }
        wanted.put(podName("peer", first), onNode(TestPods.netshootServer(images, podName("peer", first), SERVED)
                .build(), first));
        Pod nginx = onNode(TestPods.nginx(images, "web").build(), first);
        nginx.getMetadata().getLabels().put("netconform.io/role", "web");
        wanted.put("web", nginx);
        wanted.put("mini", onNode(TestPods.busybox(images, "mini").build(), first));
        for (Pod pod : wanted.values()) {
            PodReadiness.create(client, ns, pod);
        }
        Service service = client.services().inNamespace(ns).resource(new ServiceBuilder()
                .withNewMetadata().withName(SERVICE).endMetadata()
                .withNewSpec().addToSelector("netconform.io/role", "web")
                .addNewPort().withName("http").withPort(80).withNewTargetPort(80).endPort()
                .endSpec().build()).create();
        List<Pod> ready = PodReadiness.awaitReady(client, ns, new ArrayList<>(wanted.keySet()), readyTimeout);
        Map<String, Member> members = ready.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                p -> member(ns, p, wanted.get(p.getMetadata().getName()))));
        Map<String, Member> probes = new LinkedHashMap<>();
        for (String node : nodes) {
            probes.put(node, members.get(podName("probe", node)));
        }
        return new Fleet(ns, placement, probes, members.get(podName("peer", first)), members.get("web"),
                members.get("mini"), service.getSpec().getClusterIP());
    }

    /** A ready pod's addresses, one per family: status.podIPs where the server fills it, else status.podIP. */
    static List<String> podIps(Pod ready) {
        List<PodIP> podIps = ready.getStatus().getPodIPs();
        if (podIps == null || podIps.isEmpty()) {
            return ready.getStatus().getPodIP() == null ? List.of() : List.of(ready.getStatus().getPodIP());
        }
        return podIps.stream().map(PodIP::getIp).toList();
    }

    private static Member member(String ns, Pod ready, Pod wanted) {
        Map<IpFamily, String> ips = new LinkedHashMap<>();
        podIps(ready).forEach(ip -> ips.putIfAbsent(IpFamily.of(ip), ip));
        String image = wanted.getSpec().getContainers().get(0).getImage();
        return new Member(ready.getMetadata().getName(), ready.getSpec().getNodeName(),
                new PodRef(ns, ready.getMetadata().getName(), CONTAINER), Map.copyOf(ips), image);
    }

    private static Pod onNode(Pod pod, String node) {
        pod.getSpec().setNodeName(node);
        return pod;
    }

    private static String podName(String role, String node) {
        String n = (role + "-" + node).toLowerCase().replaceAll("[^a-z0-9-]", "-");
        return n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }

    public String namespace() {
        return namespace;
    }

    public Placement placement() {
        return placement;
    }

    /** The IP families every fleet pod has an address in (dual-stack clusters give two). */
    public List<IpFamily> families() {
        return java.util.Arrays.stream(IpFamily.values())
                .filter(f -> all().stream().allMatch(m -> m.ips().containsKey(f)))
                .toList();
    }

    /** The sampled node pairs as probe paths in one family: same-node first, then cross-node. */
    public List<Path> paths(IpFamily family) {
        List<Path> paths = new ArrayList<>();
        for (NodePair pair : placement.pairs()) {
            Member from = probesByNode.get(pair.from());
            Member to = pair.sameNode() && pair.from().equals(peer.node()) ? peer : probesByNode.get(pair.to());
            if (from != null && to != null && from != to && to.ip(family).isPresent()) {
                paths.add(new Path(from, to, pair, family));
            }
        }
        return paths;
    }

    /**
     * On one node there are no cross-node pairs: a skipped check that says so, so a suite never passes silently on
     * what it could not probe. Empty on a multi-node cluster.
     */
    public java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> crossNodeSkippedOnSingleNode() {
        if (placement.multiNode()) {
            return java.util.stream.Stream.empty();
        }
        return java.util.stream.Stream.of(org.junit.jupiter.api.DynamicTest.dynamicTest("cross node", () -> {
            throw new org.opentest4j.TestAbortedException("single-node cluster: no cross-node pair to probe ("
                    + placement.describe() + ")");
        }));
    }

    public List<Path> crossNodePaths(IpFamily family) {
        return paths(family).stream().filter(p -> !p.nodes().sameNode()).toList();
    }

    public List<Member> probes() {
        return List.copyOf(probesByNode.values());
    }

    public Member web() {
        return web;
    }

    public Member mini() {
        return mini;
    }

    public String serviceIp() {
        return serviceIp;
    }

    public List<Member> all() {
        List<Member> all = new ArrayList<>(probesByNode.values());
        all.add(peer);
        all.add(web);
        all.add(mini);
        return all;
    }

    public String describe() {
        return all().stream().map(m -> m.name() + " on " + m.node() + " " + m.ips().values())
                .collect(Collectors.joining("\n", "fleet in namespace " + namespace + ":\n", "\nservice "
                        + SERVICE + " " + serviceIp));
    }
}
