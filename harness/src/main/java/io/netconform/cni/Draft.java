package io.netconform.cni;

import java.util.LinkedHashSet;
import java.util.Set;

/** What one CNI's recognition found, before the parts every CNI shares (families, kube-proxy, health) are added. */
final class Draft {
    final Cni cni;
    final String version;
    final String source;
    String detail;
    NetworkPolicySupport policy;
    Encapsulation encapsulation = Encapsulation.UNKNOWN;
    ExpectedMtu configuredMtu;
    KubeProxy kubeProxyReplacement;
    boolean k3s;
    final Set<String> extraFamilies = new LinkedHashSet<>();

    Draft(Cni cni, String version, String source) {
        this.cni = cni;
        this.version = version;
        this.source = source;
        this.detail = cni.defaultDetail();
        this.policy = cni.defaultPolicy();
    }
}
