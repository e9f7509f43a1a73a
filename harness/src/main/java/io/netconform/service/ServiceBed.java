package io.netconform.service;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netconform.report.BrokenCheck;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.PodStartException;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PodRef;
import io.netconform.junit.Fleet;
import io.netconform.policy.IpFamily;
import io.netconform.junit.Run;
import io.netconform.report.Report;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The pods and Services the services and hostnetwork suites share, in one namespace of the run: a whoami backend on
 * the first sampled node (the only endpoint of the single-backend Services, so every other node is a node "without
 * an endpoint"), a second one on the second node (for session affinity), and — on first use — a hostNetwork whoami
 * pod per node. Deployed once per suite; the run deletes the namespace at its end.
 */
public final class ServiceBed implements AutoCloseable {

    /** Label selecting the single backend on the first node. */
    public static final String ONE = "netconform.io/backend";
    /** Label selecting both backends. */
    public static final String PAIR = "netconform.io/pair";

    private final Run run;
    private final String namespace;
    private final List<Fleet.Member> backends;
    private final int portBase;
    private Map<String, Fleet.Member> hostPods;
    private String hostNetworkRefusal;

    private ServiceBed(Run run, String namespace, List<Fleet.Member> backends, int portBase) {
        this.run = run;
        this.namespace = namespace;
        this.backends = backends;
        this.portBase = portBase;
    }

    /** Only the namespace, for suites that need the hostNetwork pods alone ({@link #endpoint()} is not there). */
    public static ServiceBed withoutBackends(Run run, String logicalName) {
        String ns = run.namespaces().create(logicalName, logicalName, Map.of());
        return new ServiceBed(run, ns, List.of(), portBase(run));
    }

    private static int portBase(Run run) {
        // ports a hostNetwork listener or a hostPort takes on the node itself: per run, so two runs do not collide,
        // and below 30000, where NodePorts (which kube-proxy holds open on every node) begin
        return 20000 + Math.floorMod(run.id().hashCode(), 3000) * 3;
    }

    /** Creates the namespace and the two whoami backends and waits until they are ready. */
    public static ServiceBed deploy(Run run, String logicalName) {
        KubernetesClient client = run.cluster().client();
        String ns = run.namespaces().create(logicalName, logicalName, Map.of());
        List<String> nodes = run.placement().nodes();
        String first = nodes.get(0);
        String second = nodes.size() > 1 ? nodes.get(1) : first;
        Pod one = TestPods.onNode(Backends.whoami(run.images(), "backend-" + first, Backends.TCP, Backends.UDP)
                .editMetadata().addToLabels(ONE, "yes").addToLabels(PAIR, "yes").endMetadata(), first).build();
        Pod two = TestPods.onNode(Backends.whoami(run.images(), "backend-2-" + second, Backends.TCP, Backends.UDP)
                .editMetadata().addToLabels(PAIR, "yes").endMetadata(), second).build();
        for (Pod pod : List.of(one, two)) {
            PodReadiness.create(client, ns, pod);
        }
        List<Fleet.Member> ready = PodReadiness.awaitReady(client, ns, List.of(name(one), name(two)),
                run.config().podReadyTimeout()).stream().map(p -> member(ns, p)).toList();
        return new ServiceBed(run, ns, ready, portBase(run));
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    static Fleet.Member member(String ns, Pod ready) {
        Map<IpFamily, String> ips = new LinkedHashMap<>();
        String ip = ready.getStatus().getPodIP();
        if (ip != null) {
            ips.put(IpFamily.of(ip), ip);
        }
        return new Fleet.Member(ready.getMetadata().getName(), ready.getSpec().getNodeName(),
                new PodRef(ns, ready.getMetadata().getName(), TestPods.CONTAINER), Map.copyOf(ips),
                ready.getSpec().getContainers().get(0).getImage());
    }

    public String namespace() {
        return namespace;
    }

    /** The backend on the first node: the only endpoint of Services selecting {@link #ONE}. */
    public Fleet.Member endpoint() {
        if (backends.isEmpty()) {
            throw new IllegalStateException("this bed in " + namespace + " was deployed without backends");
        }
        return backends.get(0);
    }

    public List<Fleet.Member> backends() {
        return backends;
    }

    /** A port on the nodes this run may listen on (hostNetwork servers, hostPort): 0, 1 or 2. */
    public int nodePort(int offset) {
        return portBase + offset;
    }

    /** The node's InternalIP (IPv4); the suites probe Services and hostPorts on it. */
    public String nodeIp(String node) {
        String ip = run.nodeAddress(node, IpFamily.IPV4);
        if (ip == null) {
            throw new org.opentest4j.TestAbortedException("requires an IPv4 InternalIP on node " + node
                    + ": the node reports none");
        }
        return ip;
    }

    /** A Service of whoami ports (TCP and UDP) selecting {@code selectorKey=yes}, for a test to shape further. */
    public ServiceBuilder service(String name, String selectorKey) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().addToSelector(selectorKey, "yes")
                .addNewPort().withName("tcp").withProtocol("TCP").withPort(Backends.TCP)
                .withTargetPort(new IntOrString(Backends.TCP)).endPort()
                .addNewPort().withName("udp").withProtocol("UDP").withPort(Backends.UDP)
                .withTargetPort(new IntOrString(Backends.UDP)).endPort()
                .endSpec();
    }

    /**
     * Creates the Service and returns it as stored. The API server refusing it (a policy engine forbidding NodePort,
     * a quota of zero node ports) skips the test with the server's words: a cluster may rightly forbid NodePorts.
     */
    public Service create(ServiceBuilder service) {
        Service wanted = service.build();
        try {
            Service created = run.cluster().client().services().inNamespace(namespace).resource(wanted).create();
            Report.attachYaml("service " + wanted.getMetadata().getName(),
                    io.fabric8.kubernetes.client.utils.Serialization.asYaml(created));
            return created;
        } catch (KubernetesClientException e) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage();
            // forbidden (RBAC, quota) or denied by an admission webhook (a policy engine): the cluster's choice;
            // anything else (a field the server rejects) is a harness bug and stays an error
            if (e.getCode() == 403 || message.contains("admission webhook") || message.contains("denied")) {
                throw new org.opentest4j.TestAbortedException("requires " + wanted.getSpec().getType() + " Services: "
                        + "the API server refused " + namespace + "/" + wanted.getMetadata().getName() + " (HTTP "
                        + e.getCode() + "): " + message);
            }
            if (message.contains("already allocated")) {
                throw new BrokenCheck(namespace + "/" + wanted.getMetadata().getName()
                        + ": the node port chosen is taken by another Service (" + message + "; it was free a moment"
                        + " before, or the run may not list Services): run again");
            }
            throw e;
        }
    }

    /**
     * A node port no Service of the cluster holds now, at random in the default range (30000-32767), for checks that
     * knock on it before their Service exists. A port drawn blindly collided now and then ("run again"); taken ones
     * are read from every namespace's Services (node ports and health-check node ports). Where the run may not list
     * Services cluster-wide, a random one, and a collision still reports BROKEN with the server's words.
     */
    public int freeNodePort() {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        try {
            for (Service s : run.cluster().client().services().inAnyNamespace().list().getItems()) {
                if (s.getSpec() == null) {
                    continue;
                }
                if (s.getSpec().getHealthCheckNodePort() != null) {
                    taken.add(s.getSpec().getHealthCheckNodePort());
                }
                if (s.getSpec().getPorts() != null) {
                    s.getSpec().getPorts().stream().map(io.fabric8.kubernetes.api.model.ServicePort::getNodePort)
                            .filter(Objects::nonNull).forEach(taken::add);
                }
            }
        } catch (KubernetesClientException e) {
            // not allowed to list (or the list failed): fall back to a blind draw
        }
        List<Integer> free = java.util.stream.IntStream.rangeClosed(30000, 32767).filter(p -> !taken.contains(p))
                .boxed().toList();
        if (free.isEmpty()) {
            throw new BrokenCheck("every node port of 30000-32767 is taken by a Service of the cluster");
        }
        return free.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(free.size()));
    }

    /** Waits until the Service's Endpoints list {@code count} ready addresses; returns their pod names. */
    public List<String> awaitEndpoints(String service, int count) {
        KubernetesClient client = run.cluster().client();
        List<String> seen = new ArrayList<>();
        try {
            await("Endpoints " + namespace + "/" + service + " with " + count + " ready addresses")
                    .atMost(run.config().convergeTimeout().plusSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        seen.clear();
                        seen.addAll(ready(client.endpoints().inNamespace(namespace).withName(service).get()));
                        return seen.size() == count;
                    });
        } catch (ConditionTimeoutException e) {
            throw BrokenCheck.of("Service " + namespace + "/" + service + " has " + seen.size() + " ready endpoints "
                    + seen + ", expected " + count).reproduce("kubectl get endpoints -n " + namespace + " " + service
                    + " -o yaml");
        }
        return List.copyOf(seen);
    }

    private static List<String> ready(Endpoints endpoints) {
        if (endpoints == null || endpoints.getSubsets() == null) {
            return List.of();
        }
        return endpoints.getSubsets().stream().map(EndpointSubset::getAddresses).filter(Objects::nonNull)
                .flatMap(List::stream).map(a -> a.getTargetRef() == null ? a.getIp() : a.getTargetRef().getName())
                .distinct().toList();
    }

    /**
     * A hostNetwork whoami pod on every sampled node (TCP {@code nodePort(0)}, UDP {@code nodePort(1)}), deployed on
     * first use. Admission refusing hostNetwork skips the caller with the server's words, here and on every later
     * call, without asking again.
     */
    public synchronized Map<String, Fleet.Member> hostNetworkPods() {
        if (hostNetworkRefusal != null) {
            throw new org.opentest4j.TestAbortedException(hostNetworkRefusal);
        }
        if (hostPods == null) {
            KubernetesClient client = run.cluster().client();
            List<String> names = new ArrayList<>();
            try {
                for (String node : run.placement().nodes()) {
                    Pod pod = TestPods.onNode(Backends.answeringUdpFrom(Backends.onHostNetwork(Backends.whoami(
                            run.images(), "host-" + node, nodePort(0), nodePort(1))), nodeIp(node)), node).build();
                    PodReadiness.create(client, namespace, pod);
                    names.add(name(pod));
                }
            } catch (PodStartException e) {
                if (e.kind() != PodStartException.Kind.ADMISSION) {
                    throw e;
                }
                hostNetworkRefusal = "requires hostNetwork pods: admission refused one: " + e.getMessage();
                throw new org.opentest4j.TestAbortedException(hostNetworkRefusal);
            }
            Map<String, Fleet.Member> byNode = new LinkedHashMap<>();
            for (Pod ready : PodReadiness.awaitReady(client, namespace, names, run.config().podReadyTimeout())) {
                byNode.put(ready.getSpec().getNodeName(), member(namespace, ready));
            }
            hostPods = byNode;
        }
        return hostPods;
    }

    /** Starts the deletion of the namespace; the run waits for it at its end. */
    @Override
    public void close() {
        run.namespaces().delete(namespace);
    }

    public String describe() {
        return backends.stream().map(b -> b.name() + " on " + b.node() + " " + b.ips().values())
                .collect(Collectors.joining("\n", "services bed in namespace " + namespace + ":\n", ""));
    }
}
