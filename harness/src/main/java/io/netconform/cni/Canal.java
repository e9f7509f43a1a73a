package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Canal: Flannel moves the packets, Calico's calico-node enforces policy; RKE2's default CNI. */
final class Canal extends Cni {
    // RKE2's chart names the ConfigMap rke2-canal-config, the upstream manifest canal-config
    private static final List<String> CONFIG_MAPS = List.of("rke2-canal-config", "canal-config");

    Canal() {
        super("canal", List.of("kube-system"), Encapsulation.VXLAN, "flannel VXLAN, calico policy",
                NetworkPolicySupport.enforced("Calico's calico-node enforces policy in Canal"));
    }

    @Override
    boolean runs(DaemonSet ds) {
        String name = ds.getMetadata().getName();
        Set<String> containers = Detection.containerNames(ds);
        return name.equals("rke2-canal") || name.equals("canal")
                || (containers.contains("calico-node") && containers.contains("kube-flannel"));
    }

    @Override
    Draft detect(DaemonSet ds, Detection cluster) {
        Draft d = new Draft(this, Detection.imageVersion(ds, "calico-node"), Detection.source(ds));
        String ns = ds.getMetadata().getNamespace();
        for (String name : CONFIG_MAPS) {
            Optional<ConfigMap> cm = cluster.cluster.configMap(ns, name);
            if (cm.isPresent()) {
                cluster.flannelBackend(cm.get(), d);
                d.configuredMtu = cluster.configuredMtu(cm.get(), name, "veth_mtu", "mtu");
                break;
            }
        }
        d.encapsulation = cluster.flannelDefault(d.encapsulation);
        d.detail = "flannel " + d.encapsulation.label() + ", calico policy";
        return d;
    }

    @Override
    List<DetectionRead> reads() {
        return CONFIG_MAPS.stream().map(DetectionRead::configMap).toList();
    }
}
