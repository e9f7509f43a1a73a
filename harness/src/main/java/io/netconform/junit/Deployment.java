package io.netconform.junit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PodRef;
import io.netconform.policy.PodId;
import io.netconform.policy.Topology;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topology deployed on the cluster: one run-scoped namespace per logical namespace, one netshoot server per pod,
 * all ready, with their IPs — and the translation of logical policies into this deployment's real namespaces.
 * Deploying costs namespaces and pods (tens of seconds on slow clusters); what only changes policies and labels
 * (the sweep's cases, the policy cases of one suite class that share a topology) reuses one deployment, put back
 * between cases with {@link #reset} and {@link #awaitNoPolicies}. Closing it starts the namespaces' deletion; the run
 * waits at its end.
 */
public final class Deployment implements AutoCloseable {

    private final Run run;
    private final Map<String, String> realNamespace;
    private final Map<PodId, PodRef> pods;
    private final Topology topology;
    /** Labels as deployed, of the pods and (logical) namespaces a case relabelled. */
    private final Map<PodId, Map<String, String>> changedPodLabels = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> changedNamespaceLabels = new LinkedHashMap<>();

    private Deployment(Run run, Map<String, String> realNamespace, Map<PodId, PodRef> pods, Topology topology) {
        this.run = run;
        this.realNamespace = realNamespace;
        this.pods = pods;
        this.topology = topology;
    }

    /**
     * Creates the namespaces (labelled with the topology's labels, so fixtures select them without templating) and
     * one server pod per topology pod, spread over the sampled nodes, and waits until all are ready. Pods serve every
     * port the topology gives them (under the port's name, for named ports) and can probe as clients.
     */
    public static Deployment create(Run run, String testName, Topology wanted) {
        KubernetesClient client = run.cluster().client();
        Map<String, String> realNamespace = new LinkedHashMap<>();
        Deployment partial = new Deployment(run, realNamespace, new LinkedHashMap<>(), wanted);
        try {
            for (String ns : wanted.namespaces()) {
                realNamespace.put(ns, run.namespaces().create(ns, testName, wanted.namespaceLabels(ns)));
            }
            List<String> nodes = run.placement().nodes();
            Map<String, List<String>> byNamespace = new LinkedHashMap<>();
            int i = 0;
            for (Topology.Pod pod : wanted.pods()) {
                String ns = realNamespace.get(pod.id().namespace());
                String name = pod.id().name();
                Pod spec = TestPods.onNode(TestPods.netshootServer(run.images(), name, pod.ports())
                        .editMetadata().addToLabels(pod.labels()).endMetadata(), nodes.get(i++ % nodes.size())).build();
                PodReadiness.create(client, ns, spec);
                byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(name);
            }
            Map<PodId, PodRef> pods = new LinkedHashMap<>();
            Topology withIps = wanted;
            for (Map.Entry<String, List<String>> e : byNamespace.entrySet()) {
                for (Pod ready : PodReadiness.awaitReady(client, e.getKey(), e.getValue(), run.config().podReadyTimeout())) {
                    PodId id = new PodId(partial.logical(e.getKey()), ready.getMetadata().getName());
                    pods.put(id, new PodRef(e.getKey(), ready.getMetadata().getName(), Fleet.CONTAINER));
                    withIps = withIps.withIp(id.toString(), Fleet.podIps(ready).toArray(String[]::new));
                }
            }
            // pods in topology order, so grids and batches read the same way as the case
            Map<PodId, PodRef> ordered = new LinkedHashMap<>();
            wanted.podIds().forEach(id -> ordered.put(id, pods.get(id)));
            return new Deployment(run, realNamespace, ordered, withIps);
        } catch (RuntimeException e) {
            partial.close();
            throw e;
        }
    }

    /** The deployed topology, with the pods' IPs. */
    public Topology topology() {
        return topology;
    }

    /** Logical namespace → real (run-scoped) namespace. */
    public Map<String, String> namespaces() {
        return Map.copyOf(realNamespace);
    }

    /** The namespace names and the rewriting of logical policies into them. */
    public RealNamespaces realNamespaces() {
        return new RealNamespaces(realNamespace);
    }

    public String realNamespace(String logical) {
        return realNamespaces().real(logical);
    }

    /** Every deployed pod, in topology order. */
    public Map<PodId, PodRef> pods() {
        return java.util.Collections.unmodifiableMap(pods);
    }

    public PodRef pod(PodId id) {
        PodRef ref = pods.get(id);
        if (ref == null) {
            throw new IllegalArgumentException("no deployed pod '" + id + "'; deployed: " + pods.keySet());
        }
        return ref;
    }

    String logical(String real) {
        return realNamespaces().logical(real);
    }

    /**
     * A policy written in logical namespaces, as it must be created here: in the real namespace, and with
     * {@code kubernetes.io/metadata.name} selectors naming real namespaces (see {@link RealNamespaces#onCluster}).
     */
    public NetworkPolicy onCluster(NetworkPolicy logicalPolicy) {
        return realNamespaces().onCluster(logicalPolicy);
    }

    // ---- reuse: what a case changes, and putting it back ----

    /** Merges labels into a deployed pod's; {@link #reset} puts the pod's labels back as they were deployed. */
    public void labelPod(PodId pod, Map<String, String> labels) {
        run.cluster().client().pods().inNamespace(realNamespace(pod.namespace())).withName(pod.name()).edit(p -> {
            changedPodLabels.putIfAbsent(pod, new LinkedHashMap<>(p.getMetadata().getLabels()));
            p.getMetadata().getLabels().putAll(labels);
            return p;
        });
    }

    /** Merges labels into a deployed namespace's (logical name); {@link #reset} puts them back. */
    public void labelNamespace(String logical, Map<String, String> labels) {
        run.cluster().client().namespaces().withName(realNamespace(logical)).edit(n -> {
            changedNamespaceLabels.putIfAbsent(logical, new LinkedHashMap<>(n.getMetadata().getLabels()));
            n.getMetadata().getLabels().putAll(labels);
            return n;
        });
    }

    /**
     * Makes the deployment as it was deployed, for the next case: labels a case changed back first, then every
     * NetworkPolicy in its namespaces deleted (a CNI that only notices labels on a policy change still sees both).
     * The namespaces are this run's own, so every policy in them is one of ours.
     */
    public void reset() {
        KubernetesClient client = run.cluster().client();
        changedPodLabels.forEach((pod, labels) -> client.pods().inNamespace(realNamespace(pod.namespace()))
                .withName(pod.name()).edit(p -> {
                    p.getMetadata().setLabels(labels);
                    return p;
                }));
        changedPodLabels.clear();
        changedNamespaceLabels.forEach((ns, labels) -> client.namespaces().withName(realNamespace(ns)).edit(n -> {
            n.getMetadata().setLabels(labels);
            return n;
        }));
        changedNamespaceLabels.clear();
        // one by one: deploy/rbac.yaml grants list and delete, not deletecollection
        for (String ns : realNamespace.values()) {
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems().forEach(policy ->
                    client.network().v1().networkPolicies().inNamespace(ns).withName(policy.getMetadata().getName()).delete());
        }
    }

    /**
     * The pods of this deployment that are gone or not ready, as {@code ns/pod (why)}: a case may have failed because
     * one died, and the next case must not inherit that.
     */
    public List<String> notReady() {
        KubernetesClient client = run.cluster().client();
        List<String> lost = new ArrayList<>();
        for (Map.Entry<PodId, PodRef> e : pods.entrySet()) {
            Pod pod = client.pods().inNamespace(e.getValue().namespace()).withName(e.getValue().pod()).get();
            if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || !PodReadiness.ready(pod)) {
                lost.add(e.getKey() + (pod == null ? " (gone)" : pod.getMetadata().getDeletionTimestamp() != null
                        ? " (deleting)" : " (not ready)"));
            }
        }
        return lost;
    }

    /** Waits until the API lists no NetworkPolicy in this deployment's namespaces: the previous case's are gone. */
    public void awaitNoPolicies() {
        KubernetesClient client = run.cluster().client();
        Awaitility.await("no NetworkPolicy left in the namespaces " + realNamespace.values())
                .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> realNamespace.values().stream()
                        .allMatch(ns -> client.network().v1().networkPolicies().inNamespace(ns).list().getItems().isEmpty()));
    }

    /** Starts deleting the namespaces (the run waits for them at its end: deletion takes ~1 min on some clusters). */
    @Override
    public void close() {
        for (String ns : realNamespace.values()) {
            try {
                run.namespaces().delete(ns);
            } catch (RuntimeException e) {
                run.say("WARNING: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
