package io.netconform.cni;

/** Multus, the meta-plugin that adds secondary interfaces beside the primary CNI's. */
public record Multus(boolean present, String version, String source) {
    static final Multus ABSENT = new Multus(false, null, "no Multus DaemonSet or NetworkAttachmentDefinition API");

    @Override
    public String toString() {
        return present ? "Multus " + (version == null ? "(version unknown)" : version) + " (" + source + ")" : "no Multus";
    }
}
