package io.netconform.scenarios.multus;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A NetworkAttachmentDefinition the test pods attach to as {@value #INTERFACE}: the user's, named by the system
 * property {@value #PROPERTY} ({@code namespace/name}), or the default node-local bridge this suite creates.
 */
record Attachment(String namespace, String name) {

    static final String PROPERTY = "netconform.multus.network";
    static final String API_VERSION = "k8s.cni.cncf.io/v1";
    static final String KIND = "NetworkAttachmentDefinition";
    static final String NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";
    static final String STATUS_ANNOTATION = "k8s.v1.cni.cncf.io/network-status";
    static final String INTERFACE = "net1";
    static final String DEFAULT_NAME = "nc-bridge";

    /*
     * A bridge with host-local IPAM exists only on the node a pod lands on, so both pods must share a node. The
     * subnet is one a node is unlikely to route already (192.168.251/24); a cluster that uses it gives its own
     * attachment with -Dnetconform.multus.network=ns/name.
     */
    static final String DEFAULT_CONFIG = "{\"cniVersion\":\"0.3.1\",\"type\":\"bridge\",\"bridge\":\"nc-multus0\","
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"192.168.251.0/24\"}}";

    Attachment {
        if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a NetworkAttachmentDefinition needs a namespace and a name, got "
                    + namespace + "/" + name);
        }
    }

    /** The user's choice from {@code -D}{@value #PROPERTY}{@code =namespace/name}; empty when none is set. */
    static Optional<Attachment> configured(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] parts = value.strip().split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException(PROPERTY + "='" + value + "' is not namespace/name"
                    + " (e.g. -D" + PROPERTY + "=kube-system/macvlan-conf)");
        }
        return Optional.of(new Attachment(parts[0], parts[1]));
    }

    /** The default bridge attachment, as the API object to create in {@code namespace}. */
    static GenericKubernetesResource defaultBridge(String namespace) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION).withKind(KIND)
                .withNewMetadata().withName(DEFAULT_NAME).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", Map.of("config", DEFAULT_CONFIG))
                .build();
    }

    /** Named in full rather than by apiVersion and kind, which would cost an API discovery round trip per call. */
    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            api(KubernetesClient client) {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("k8s.cni.cncf.io").withVersion("v1").withKind(KIND)
                .withPlural("network-attachment-definitions").withNamespaced(true).build());
    }

    /**
     * The {@value #NETWORKS_ANNOTATION} value in its JSON form, which names the interface: the short form
     * {@code ns/name} leaves the name to Multus, and a check on "net1" must not depend on that default.
     */
    String annotation() {
        return "[{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"interface\":\"" + INTERFACE + "\"}]";
    }

    /** How Multus names this attachment in a pod's network-status. */
    String statusName() {
        return namespace + "/" + name;
    }

    List<String> kubectlGet() {
        return List.of("kubectl", "get", "network-attachment-definitions.k8s.cni.cncf.io", "-n", namespace, name, "-o", "yaml");
    }

    @Override
    public String toString() {
        return statusName();
    }
}
