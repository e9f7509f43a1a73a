package io.netconform.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;

/** Flannel on its own (upstream manifest in kube-flannel, RKE2's rke2-flannel): no policy engine. */
final class Flannel extends Cni {

    Flannel() {
        super("flannel", List.of("kube-system", "kube-flannel"), Encapsulation.VXLAN, "flannel VXLAN, no policy engine",
                NetworkPolicySupport.notEnforced(
                        "Flannel has no policy engine; RKE2 warns that its Flannel does not enforce NetworkPolicy"));
    }

    @Override
    boolean runs(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        // older manifests ran one DaemonSet per architecture: kube-flannel-ds-amd64, ...
        return name.startsWith("kube-flannel-ds") || name.equals("rke2-flannel")
                || Detection.containerNames(ds).contains("kube-flannel");
    }

    @Override
    Draft detect(DaemonSet ds, Detection cluster) {
        Draft d = new Draft(this, Detection.imageVersion(ds, "kube-flannel"), Detection.source(ds));
        cluster.cluster.configMap(ds.getMetadata().getNamespace(), "kube-flannel-cfg")
                .ifPresent(cm -> cluster.flannelBackend(cm, d));
        d.encapsulation = cluster.flannelDefault(d.encapsulation);
        d.detail = "flannel " + d.encapsulation.label() + ", no policy engine";
        return d;
    }

    @Override
    List<DetectionRead> reads() {
        return List.of(DetectionRead.configMap("kube-flannel-cfg"));
    }
}
