package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How Services are implemented: a CNI replacing kube-proxy, kubeadm's kube-proxy DaemonSet with its
 * ConfigMap, RKE2's static pods {@code kube-proxy-<node>} with flags, or K3s's kube-proxy inside the k3s process.
 */
final class KubeProxyDetection {
    private static final Pattern PROXY_MODE_FLAG = Pattern.compile("--proxy-mode[= ](\\S+)");
    private static final Pattern KUBE_PROXY_CONFIG_MODE = Pattern.compile("(?m)^mode:\\s*[\"']?([A-Za-z]*)[\"']?\\s*$");

    private KubeProxyDetection() {
    }

    static KubeProxy detect(ClusterObjects cluster, KubeProxy replacement, boolean k3s, List<String> warnings) {
        List<Pod> proxyPods = cluster.kubeSystemPods().stream().filter(KubeProxyDetection::isKubeProxyPod).toList();
        Optional<DaemonSet> proxyDs = cluster.daemonSets().stream()
                .filter(ds -> "kube-system".equals(ds.getMetadata().getNamespace())
                        && "kube-proxy".equals(ds.getMetadata().getName())).findFirst();
        if (replacement != null) {
            if (proxyDs.isPresent() || !proxyPods.isEmpty()) {
                warnings.add("Cilium replaces kube-proxy, yet kube-proxy also runs in kube-system");
            }
            return replacement;
        }
        if (proxyDs.isPresent()) {
            Optional<ConfigMap> cm = cluster.configMap("kube-system", "kube-proxy");
            Optional<String> conf = cm.map(c -> Detection.data(c, "config.conf"));
            if (conf.isPresent()) {
                Matcher m = KUBE_PROXY_CONFIG_MODE.matcher(conf.get());
                return KubeProxy.ofMode(m.find() ? m.group(1) : "", "ConfigMap kube-system/kube-proxy config.conf");
            }
            return fromFlags(Detection.containers(proxyDs.get()), "DaemonSet kube-system/kube-proxy");
        }
        if (!proxyPods.isEmpty()) {
            Pod pod = proxyPods.get(0);
            return fromFlags(pod.getSpec().getContainers(), "pod kube-system/" + pod.getMetadata().getName());
        }
        if (k3s) {
            return new KubeProxy(KubeProxy.Mode.UNKNOWN, "embedded in the k3s process; iptables unless --kube-proxy-arg sets proxy-mode");
        }
        return new KubeProxy(KubeProxy.Mode.UNKNOWN,
                "no kube-proxy DaemonSet or pods in kube-system; it runs outside pods or is replaced");
    }

    /** RKE2's static kube-proxy pods carry their settings as flags; without --proxy-mode kube-proxy uses iptables. */
    private static KubeProxy fromFlags(List<Container> containers, String where) {
        String line = containers.stream()
                .flatMap(c -> Stream.concat(Optional.ofNullable(c.getCommand()).orElse(List.of()).stream(),
                        Optional.ofNullable(c.getArgs()).orElse(List.of()).stream()))
                .reduce("", (a, b) -> a + " " + b);
        Matcher m = PROXY_MODE_FLAG.matcher(line);
        if (m.find()) {
            return KubeProxy.ofMode(m.group(1), where + " --proxy-mode");
        }
        if (line.contains("--config")) {
            return new KubeProxy(KubeProxy.Mode.UNKNOWN, where + " reads its mode from a --config file on the node");
        }
        return KubeProxy.ofMode("", where + " without --proxy-mode");
    }

    private static boolean isKubeProxyPod(Pod pod) {
        Map<String, String> labels = Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of());
        return pod.getMetadata().getName().startsWith("kube-proxy-")
                || "kube-proxy".equals(labels.get("k8s-app")) || "kube-proxy".equals(labels.get("component"));
    }
}
