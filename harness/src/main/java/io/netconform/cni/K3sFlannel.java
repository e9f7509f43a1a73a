package io.netconform.cni;

import java.util.List;
import java.util.Optional;

/**
 * K3s's built-in flannel and kube-router policy controller, which run inside the k3s process: no pods, no
 * DaemonSet; recognised by the kubelet version and flannel's node annotation.
 */
final class K3sFlannel extends Cni {

    K3sFlannel() {
        super("k3s-flannel", List.of(), Encapsulation.VXLAN, "flannel VXLAN and kube-router policy inside k3s",
                NetworkPolicySupport.enforced(
                        "expected (kube-router embedded in k3s); off if k3s runs with --disable-network-policy,"
                                + " which the API does not show"));
    }

    @Override
    Optional<Draft> detectWithoutDaemonSet(Detection cluster) {
        Optional<String> k3sVersion = cluster.k3sVersion();
        Optional<String> backend = cluster.nodeAnnotation(Detection.FLANNEL_BACKEND_ANNOTATION);
        if (k3sVersion.isEmpty() || backend.isEmpty()) {
            return Optional.empty();
        }
        Draft d = new Draft(this, k3sVersion.get(), "node annotation " + Detection.FLANNEL_BACKEND_ANNOTATION + "="
                + backend.get() + " on k3s " + k3sVersion.get());
        d.k3s = true;
        d.encapsulation = Encapsulation.ofFlannelBackend(backend.get());
        d.detail = "flannel " + backend.get() + " and kube-router policy inside k3s";
        return Optional.of(d);
    }

    @Override
    Optional<String> podNameWord() {
        return Optional.empty();
    }
}
