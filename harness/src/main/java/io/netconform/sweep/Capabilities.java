package io.netconform.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster can express, which decides the dimensions a sweep generates: SCTP needs the kernel module on the
 * nodes; {@code endPort} needs Kubernetes 1.22 (1.21 behind a feature gate; older API servers silently drop it).
 */
public record Capabilities(boolean sctp, boolean endPort) {

    public static Capabilities all() {
        return new Capabilities(true, true);
    }

    /** endPort is served from Kubernetes 1.22 on (by default); {@code version} as the API server says it, e.g. v1.20.2. */
    public static boolean endPortServed(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v?(\\d+)\\.(\\d+)").matcher(version == null ? "" : version);
        return m.find() && (Integer.parseInt(m.group(1)) > 1 || Integer.parseInt(m.group(2)) >= 22);
    }

    /** One line per dimension value this cluster cannot run, with why: printed at the start of a sweep. */
    public List<String> limits(String kubernetesVersion) {
        List<String> out = new ArrayList<>();
        if (!sctp) {
            out.add("proto-sctp not generated: the cluster does not carry SCTP (no SCTP socket between two pods)");
        }
        if (!endPort) {
            out.add("port-range (endPort) not generated: Kubernetes " + kubernetesVersion
                    + " does not serve it (added in 1.21 behind a gate, on by default from 1.22; older API servers drop the field)");
        }
        return out;
    }
}
