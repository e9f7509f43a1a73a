package io.netconform.junit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.netconform.cluster.RunNamespaces;
import io.netconform.policy.Topology;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logical namespace names (as topologies and fixtures under {@code policies/} write them) and the real, run-scoped
 * names they were deployed under — and the rewriting of policies from one to the other, so the same file serves
 * the oracle and the cluster. Namespace labels need no rewriting (real namespaces carry the topology's labels);
 * {@code kubernetes.io/metadata.name} does, because the API server sets it to the real name.
 */
public final class RealNamespaces {

    private final Map<String, String> real;

    /** @param logicalToReal in topology order */
    public RealNamespaces(Map<String, String> logicalToReal) {
        this.real = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logicalToReal));
    }

    /** Offline: every namespace is called what the topology calls it. */
    public static RealNamespaces identity(Collection<String> logical) {
        Map<String, String> same = new LinkedHashMap<>();
        logical.forEach(ns -> same.put(ns, ns));
        return new RealNamespaces(same);
    }

    public boolean contains(String logical) {
        return real.containsKey(logical);
    }

    public String real(String logical) {
        String name = real.get(logical);
        if (name == null) {
            throw new IllegalArgumentException("namespace '" + logical + "' is not a namespace of the deployed topology "
                    + real.keySet());
        }
        return name;
    }

    public String logical(String realName) {
        return real.entrySet().stream().filter(e -> e.getValue().equals(realName)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("namespace '" + realName
                        + "' is not one of this deployment's " + real.values()));
    }

    /** Logical → real, in topology order. */
    public Map<String, String> asMap() {
        return real;
    }

    /**
     * A policy written in logical namespaces, as it must be created on the cluster: in the real namespace, without a
     * resourceVersion, and with {@code kubernetes.io/metadata.name} selectors naming real namespaces. The argument is
     * left as it was (the oracle keeps reading it).
     */
    public NetworkPolicy onCluster(NetworkPolicy logicalPolicy) {
        NetworkPolicy p = new NetworkPolicyBuilder(logicalPolicy).build();
        p.getMetadata().setNamespace(real(logicalPolicy.getMetadata().getNamespace()));
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
                sel.getMatchLabels().computeIfPresent(Topology.METADATA_NAME_LABEL, (k, v) -> real.getOrDefault(v, v));
            }
            if (sel.getMatchExpressions() != null) {
                for (LabelSelectorRequirement req : sel.getMatchExpressions()) {
                    if (Topology.METADATA_NAME_LABEL.equals(req.getKey()) && req.getValues() != null) {
                        req.setValues(req.getValues().stream().map(v -> real.getOrDefault(v, v)).toList());
                    }
                }
            }
        }
    }

    /**
     * Rewrites a cluster policy so it can only ever concern this deployment of this run: every namespace selector of
     * its subject and of its namespaces/pods peers gets {@code netconform.io/run=<runId>} and
     * {@code kubernetes.io/metadata.name In (this deployment's namespaces)} ANDed in (a {@code pods} entry without one
     * gets one), and {@code kubernetes.io/metadata.name} values become real names. networks peers stay: they only
     * shape the traffic of the (restricted) subjects. Confining to the deployment, not just the run, is what lets the
     * suites of one run go side by side: a cluster-wide deny of one suite never reaches another suite's pods.
     */
    @SuppressWarnings("unchecked")
    public void confine(GenericKubernetesResource policy, String runId) {
        Map<String, Object> spec = (Map<String, Object>) policy.getAdditionalProperties().get("spec");
        restrictHolder((Map<String, Object>) spec.get("subject"), runId);
        for (String direction : List.of("ingress", "egress")) {
            for (Object rule : (List<Object>) spec.getOrDefault(direction, List.of())) {
                Map<String, Object> r = (Map<String, Object>) rule;
                for (Object peer : (List<Object>) r.getOrDefault(direction.equals("ingress") ? "from" : "to", List.of())) {
                    restrictHolder((Map<String, Object>) peer, runId);
                }
            }
        }
    }

    /** A subject or peer: {@code namespaces: <selector>} or {@code pods: {namespaceSelector, podSelector}}. */
    @SuppressWarnings("unchecked")
    private void restrictHolder(Map<String, Object> holder, String runId) {
        if (holder.get("namespaces") instanceof Map<?, ?> selector) {
            holder.put("namespaces", inRun((Map<String, Object>) selector, runId));
        }
        if (holder.get("pods") instanceof Map<?, ?> pods) {
            Object selector = pods.get("namespaceSelector");
            ((Map<String, Object>) pods).put("namespaceSelector", inRun(selector instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : new LinkedHashMap<>(), runId));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> inRun(Map<String, Object> selector, String runId) {
        Map<String, Object> scoped = new LinkedHashMap<>(selector);
        Map<String, Object> labels = new LinkedHashMap<>(scoped.get("matchLabels") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of());
        labels.computeIfPresent(Topology.METADATA_NAME_LABEL, (k, v) -> real.getOrDefault(v.toString(), v.toString()));
        labels.put(RunNamespaces.RUN, runId);
        scoped.put("matchLabels", labels);
        List<Object> expressions = new java.util.ArrayList<>();
        if (scoped.get("matchExpressions") instanceof List<?> given) {
            for (Object e : given) {
                Map<String, Object> requirement = new LinkedHashMap<>((Map<String, Object>) e);
                if (Topology.METADATA_NAME_LABEL.equals(requirement.get("key")) && requirement.get("values") instanceof List<?> v) {
                    requirement.put("values", v.stream().map(x -> real.getOrDefault(x.toString(), x.toString())).toList());
                }
                expressions.add(requirement);
            }
        }
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("key", Topology.METADATA_NAME_LABEL);
        deployment.put("operator", "In");
        deployment.put("values", real.values().stream().sorted().toList());
        expressions.add(deployment);
        scoped.put("matchExpressions", expressions);
        return scoped;
    }
}
