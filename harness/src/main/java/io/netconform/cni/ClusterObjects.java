package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster objects detection reads, each read at most once, none of them required. Detection runs on
 * clusters where the harness may not list kube-system (403) and on Kubernetes 1.20, so every read uses
 * APIs 1.20 serves and a refused read becomes a warning and an unknown piece, never an exception.
 */
final class ClusterObjects {
    private static final ResourceDefinitionContext INSTALLATION = new ResourceDefinitionContext.Builder()
            .withGroup("operator.tigera.io").withVersion("v1").withKind("Installation")
            .withPlural("installations").withNamespaced(false).build();
    private static final ResourceDefinitionContext NETWORK_ATTACHMENT_DEFINITION = new ResourceDefinitionContext.Builder()
            .withGroup("k8s.cni.cncf.io").withVersion("v1").withKind("NetworkAttachmentDefinition")
            .withPlural("network-attachment-definitions").withNamespaced(true).build();

    private final KubernetesClient client;
    /** Where the known CNIs put their DaemonSets ({@link Cni#namespaces}). */
    private final List<String> cniNamespaces;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    private List<DaemonSet> daemonSets;
    private List<Pod> kubeSystemPods;
    private List<Node> nodes;

    ClusterObjects(KubernetesClient client, List<String> cniNamespaces) {
        this.client = client;
        this.cniNamespaces = List.copyOf(cniNamespaces);
    }

    List<String> cniNamespaces() {
        return cniNamespaces;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<DaemonSet> daemonSets() {
        if (daemonSets == null) {
            daemonSets = new ArrayList<>();
            for (String ns : cniNamespaces) {
                read("list DaemonSets in " + ns, () -> client.apps().daemonSets().inNamespace(ns).list().getItems())
                        .ifPresent(daemonSets::addAll);
            }
        }
        return daemonSets;
    }

    List<Pod> kubeSystemPods() {
        if (kubeSystemPods == null) {
            kubeSystemPods = read("list pods in kube-system",
                    () -> client.pods().inNamespace("kube-system").list().getItems()).orElse(List.of());
        }
        return kubeSystemPods;
    }

    List<Node> nodes() {
        if (nodes == null) {
            nodes = read("list nodes", () -> client.nodes().list().getItems()).orElse(List.of());
        }
        return nodes;
    }

    Optional<ConfigMap> configMap(String namespace, String name) {
        return configMaps.computeIfAbsent(namespace + "/" + name, key -> read("read ConfigMap " + key,
                () -> client.configMaps().inNamespace(namespace).withName(name).get()));
    }

    /** The tigera-operator's Installation "default" (cluster-scoped); absent when Calico came from manifests. */
    Optional<GenericKubernetesResource> calicoInstallation() {
        return read("read Installation default (operator.tigera.io/v1)",
                () -> client.genericKubernetesResources(INSTALLATION).withName("default").get());
    }

    /** NetworkAttachmentDefinitions in all namespaces; empty when the CRD is not installed. */
    Optional<Integer> networkAttachmentDefinitions() {
        return read("list NetworkAttachmentDefinitions (k8s.cni.cncf.io/v1)",
                () -> client.genericKubernetesResources(NETWORK_ATTACHMENT_DEFINITION).inAnyNamespace().list().getItems().size());
    }

    List<Pod> podsOf(DaemonSet ds) {
        String ns = ds.getMetadata().getNamespace();
        if (ds.getSpec() == null || ds.getSpec().getSelector() == null) {
            return List.of();
        }
        return read("list pods of DaemonSet " + ns + "/" + ds.getMetadata().getName(),
                () -> client.pods().inNamespace(ns).withLabelSelector(ds.getSpec().getSelector()).list().getItems())
                .orElse(List.of());
    }

    Optional<DaemonSet> daemonSet(String namespace, String name) {
        return read("read DaemonSet " + namespace + "/" + name,
                () -> client.apps().daemonSets().inNamespace(namespace).withName(name).get());
    }

    /**
     * 404 means "not there" (an absent namespace, ConfigMap or CRD is an answer, not a problem); anything
     * else (403 above all) is remembered as a warning so the profile says which piece it could not see.
     */
    private <T> Optional<T> read(String what, Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            warnings.add("could not " + what + ": " + describe(e) + " — treated as unknown");
            return Optional.empty();
        }
    }

    private static String describe(KubernetesClientException e) {
        if (e.getCode() == 403) {
            return "forbidden (HTTP 403: the harness's account may not read it)";
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
    }
}
