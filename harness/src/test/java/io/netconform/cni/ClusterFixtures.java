package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builders for the kube-system objects each CNI creates, named as in the CNIs' manifests and RKE2's charts,
 * written into the mock API server.
 */
final class ClusterFixtures {
    private final KubernetesClient client;

    ClusterFixtures(KubernetesClient client) {
        this.client = client;
    }

    /** A DaemonSet selecting {@code app=<name>}; containers as "name=image". */
    DaemonSet daemonSet(String namespace, String name, int desired, int ready, String... containers) {
        List<Container> specs = Arrays.stream(containers).map(c -> c.split("=", 2))
                .map(c -> new ContainerBuilder().withName(c[0]).withImage(c[1]).build()).toList();
        DaemonSet ds = new DaemonSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(specs).endSpec().endTemplate().endSpec()
                .withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready)
                .withCurrentNumberScheduled(desired).withNumberMisscheduled(0).endStatus()
                .build();
        return client.apps().daemonSets().resource(ds).create();
    }

    DaemonSet create(DaemonSet ds) {
        return client.apps().daemonSets().resource(ds).create();
    }

    ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return client.configMaps().resource(new ConfigMapBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build()).create();
    }

    /** A pod of DaemonSet {@code app}; a non-null {@code waitingReason} puts its container in that waiting state. */
    Pod cniPod(String namespace, String app, String name, int restarts, String waitingReason) {
        var status = new ContainerStatusBuilder().withName("calico-node").withRestartCount(restarts)
                .withReady(waitingReason == null).withImage("img");
        if (waitingReason != null) {
            status.withNewState().withNewWaiting().withReason(waitingReason).endWaiting().endState();
        } else {
            status.withNewState().withNewRunning().endRunning().endState();
        }
        return client.pods().resource(new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("calico-node").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(status.build()).endStatus()
                .build()).create();
    }

    Pod pod(Pod pod) {
        return client.pods().resource(pod).create();
    }

    Node node(String name, String kubeletVersion, Map<String, String> annotations, String... podCidrs) {
        return client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withPodCIDR(podCidrs.length == 0 ? null : podCidrs[0]).withPodCIDRs(podCidrs).endSpec()
                .withNewStatus().withNewNodeInfo().withKubeletVersion(kubeletVersion).endNodeInfo()
                .addNewAddress().withType("InternalIP").withAddress("192.168.1.10").endAddress().endStatus()
                .build()).create();
    }
}
