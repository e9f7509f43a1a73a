package io.netconform.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;

/**
 * Multus, the meta-plugin that adds secondary interfaces beside the primary CNI's: what detection found, and
 * how it recognises Multus (its DaemonSet in kube-system, NetworkAttachmentDefinitions in use).
 */
public record Multus(boolean present, String version, String source) {
    static final Multus ABSENT = new Multus(false, null, "no Multus DaemonSet or NetworkAttachmentDefinition API");
    static final List<String> NAMESPACES = List.of("kube-system");
    static final List<DetectionRead> READS =
            List.of(DetectionRead.anywhere("list", "k8s.cni.cncf.io", "network-attachment-definitions"));

    static boolean runs(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        return name.startsWith("kube-multus-ds") || name.startsWith("rke2-multus")
                || Detection.containerNames(ds).contains("kube-multus");
    }

    @Override
    public String toString() {
        return present ? "Multus " + (version == null ? "(version unknown)" : version) + " (" + source + ")" : "no Multus";
    }
}
