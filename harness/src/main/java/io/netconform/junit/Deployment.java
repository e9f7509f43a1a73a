package io.netconform.junit;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PodRef;
import io.netconform.policy.PodId;
import io.netconform.policy.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topology deployed on the cluster: one run-scoped namespace per logical namespace, one netshoot server per pod,
 * all ready, with their IPs — and the translation of logical policies into this deployment's real namespaces.
 * Deploying costs namespaces and pods (tens of seconds on slow clusters); what only changes policies and labels
 * (the sweep's cases) reuses one deployment. Closing it starts the namespaces' deletion; the run waits at its end.
 */
public final class Deployment implements AutoCloseable {

    private final Run run;
    private final Map<String, String> realNamespace;
    private final Map<PodId, PodRef> pods;
    private final Topology topology;

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

    public String realNamespace(String logical) {
        String real = realNamespace.get(logical);
        if (real == null) {
            throw new IllegalArgumentException("namespace '" + logical + "' is not a namespace of the deployed topology "
                    + realNamespace.keySet());
        }
        return real;
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
        return realNamespace.entrySet().stream().filter(e -> e.getValue().equals(real)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /**
     * A policy written in logical namespaces, as it must be created here: in the real namespace, and with
     * {@code kubernetes.io/metadata.name} selectors naming real namespaces (the API server sets that label to the real
     * name). Other labels need no mapping: namespaces carry the topology's labels.
     */
    public NetworkPolicy onCluster(NetworkPolicy logicalPolicy) {
        NetworkPolicy p = new NetworkPolicyBuilder(logicalPolicy).build();
        p.getMetadata().setNamespace(realNamespace(logicalPolicy.getMetadata().getNamespace()));
        p.getMetadata().setResourceVersion(null);
        if (p.getSpec().getIngress() != null) {
            p.getSpec().getIngress().forEach(r -> mapPeers(r.getFrom()));
        }
        if (p.getSpec().getEgress() != null) {
            p.getSpec().getEgress().forEach(r -> mapPeers(r.getTo()));
        }
        return p;
    }

    private void mapPeers(List<NetworkPolicyPeer> peers) {
        if (peers == null) {
            return;
        }
        for (NetworkPolicyPeer peer : peers) {
            LabelSelector sel = peer.getNamespaceSelector();
            if (sel == null) {
                continue;
            }
            if (sel.getMatchLabels() != null) {
                sel.getMatchLabels().computeIfPresent(Topology.METADATA_NAME_LABEL, (k, v) -> realNamespace.getOrDefault(v, v));
            }
            if (sel.getMatchExpressions() != null) {
                for (LabelSelectorRequirement req : sel.getMatchExpressions()) {
                    if (Topology.METADATA_NAME_LABEL.equals(req.getKey()) && req.getValues() != null) {
                        req.setValues(req.getValues().stream().map(v -> realNamespace.getOrDefault(v, v)).toList());
                    }
                }
            }
        }
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
