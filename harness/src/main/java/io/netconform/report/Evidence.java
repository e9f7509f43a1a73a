package io.netconform.report;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cni.Cnis;
import io.netconform.exec.PodRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a person needs to debug a failed check without the cluster at hand: the involved pods
 * (describe-like text and their events) and the CNI's pods (status, restarts, recent logs).
 * Written to {@code reports/evidence/<check>/} and attached to the Allure test.
 */
public final class Evidence {

    static final Pattern CNI_POD = Cnis.podNames();
    static final int LOG_LINES = 200;
    static final int LOG_CAP_BYTES = 64 * 1024;

    private Evidence() {
    }

    /**
     * Collects evidence for {@code checkId}. Never throws: whatever cannot be collected (RBAC, a pod that
     * is gone, an API error) is written into the evidence as text, so the original failure stays the one reported.
     *
     * @return the evidence directory, {@code reportsDir/evidence/<check>}
     */
    public static Path collect(KubernetesClient client, String checkId, List<PodRef> pods, Path reportsDir) {
        return collect(client, checkId, pods, reportsDir, java.util.Map.of());
    }

    /**
     * As {@link #collect(KubernetesClient, String, List, Path)}, plus texts the caller gathered (file name → text);
     * a failure of kind {@link FailureKind#DNS} also gets the DNS Service and its endpoints, which a person debugging
     * DNS reads first (next to each pod's resolv.conf, which the caller reads through its executor).
     */
    public static Path collect(KubernetesClient client, String checkId, List<PodRef> pods, Path reportsDir,
                               java.util.Map<String, String> extra) {
        Path dir = reportsDir.resolve("evidence").resolve(safeName(checkId));
        List<String> problems = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            problems.add("cannot create " + dir + ": " + e);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (PodRef ref : pods) {
            if (!seen.add(ref.namespace() + "/" + ref.pod())) {
                continue;
            }
            String base = safeName(ref.namespace() + "_" + ref.pod());
            save(dir, base + ".describe.txt", "pod " + ref, attempt(() -> describe(client, ref)), problems);
            save(dir, base + ".events.txt", "events " + ref, attempt(() -> events(client, ref.namespace(), ref.pod())),
                    problems);
        }
        extra.forEach((file, text) -> save(dir, safeName(file), file, text, problems));
        collectCni(client, dir, problems);
        if (!problems.isEmpty()) {
            save(dir, "collection-errors.txt", "evidence collection errors", String.join("\n", problems), problems);
        }
        return dir;
    }

    /** kube-system/kube-dns as YAML with its Endpoints: is there a DNS Service, and does it have ready endpoints? */
    public static String dnsService(KubernetesClient client) {
        return attempt(() -> {
            var service = client.services().inNamespace("kube-system").withName("kube-dns").get();
            var endpoints = client.endpoints().inNamespace("kube-system").withName("kube-dns").get();
            return (service == null ? "# no Service kube-system/kube-dns\n"
                    : io.fabric8.kubernetes.client.utils.Serialization.asYaml(service))
                    + "---\n" + (endpoints == null ? "# no Endpoints kube-system/kube-dns\n"
                    : io.fabric8.kubernetes.client.utils.Serialization.asYaml(endpoints));
        });
    }

    private static void collectCni(KubernetesClient client, Path dir, List<String> problems) {
        List<Pod> cniPods;
        try {
            cniPods = client.pods().inNamespace("kube-system").list().getItems().stream()
                    .filter(p -> CNI_POD.matcher(p.getMetadata().getName()).matches())
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
        } catch (RuntimeException e) {
            save(dir, "cni-pods.txt", "CNI pods", "cannot list kube-system pods: " + describeError(e), problems);
            return;
        }
        StringBuilder status = new StringBuilder();
        if (cniPods.isEmpty()) {
            status.append("no kube-system pod matches ").append(CNI_POD.pattern())
                    .append(" (K3s' built-in flannel runs inside the k3s process and has no pods)\n");
        }
        for (Pod pod : cniPods) {
            status.append(podLine(pod)).append('\n');
        }
        save(dir, "cni-pods.txt", "CNI pods", status.toString(), problems);
        for (Pod pod : cniPods) {
            String name = pod.getMetadata().getName();
            for (var container : pod.getSpec().getContainers()) {
                String log = attempt(() -> cap(client.pods().inNamespace("kube-system").withName(name)
                        .inContainer(container.getName()).tailingLines(LOG_LINES).getLog()));
                save(dir, safeName("cni_" + name + "_" + container.getName()) + ".log",
                        "log kube-system/" + name + " -c " + container.getName(), log, problems);
            }
        }
    }

    static String describe(KubernetesClient client, PodRef ref) {
        Pod pod = client.pods().inNamespace(ref.namespace()).withName(ref.pod()).get();
        if (pod == null) {
            return "pod " + ref + " not found (deleted before evidence was collected?)";
        }
        StringBuilder out = new StringBuilder();
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        var st = pod.getStatus();
        out.append("Name:         ").append(meta.getName()).append('\n')
                .append("Namespace:    ").append(meta.getNamespace()).append('\n')
                .append("Node:         ").append(spec == null ? null : spec.getNodeName()).append('\n')
                .append("Labels:       ").append(meta.getLabels()).append('\n')
                .append("Annotations:  ").append(meta.getAnnotations()).append('\n');
        if (st != null) {
            out.append("Phase:        ").append(st.getPhase()).append('\n')
                    .append("Reason:       ").append(st.getReason()).append(' ').append(Objects.toString(st.getMessage(), ""))
                    .append('\n')
                    .append("Pod IPs:      ").append(st.getPodIPs() == null ? null
                            : st.getPodIPs().stream().map(ip -> ip.getIp()).toList()).append('\n')
                    .append("Host IP:      ").append(st.getHostIP()).append('\n');
        }
        if (spec != null) {
            out.append("Containers:\n");
            spec.getContainers().forEach(c -> out.append("  ").append(c.getName()).append(": image ").append(c.getImage())
                    .append(", ports ").append(c.getPorts().stream()
                            .map(p -> p.getContainerPort() + "/" + p.getProtocol()).toList())
                    .append(c.getSecurityContext() == null ? "" : ", securityContext " + c.getSecurityContext())
                    .append('\n'));
        }
        if (st != null) {
            out.append("Conditions:\n");
            for (PodCondition c : st.getConditions()) {
                out.append("  ").append(c.getType()).append('=').append(c.getStatus())
                        .append(c.getReason() == null ? "" : " (" + c.getReason() + ": " + c.getMessage() + ")").append('\n');
            }
            out.append("Container statuses:\n");
            for (ContainerStatus cs : st.getContainerStatuses()) {
                out.append("  ").append(containerLine(cs)).append('\n');
            }
        }
        return out.toString();
    }

    static String events(KubernetesClient client, String namespace, String involvedName) {
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && involvedName.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(),
                        Objects.toString(e.getMetadata().getCreationTimestamp(), ""))))
                .toList();
        if (events.isEmpty()) {
            return "no events for " + namespace + "/" + involvedName + "\n";
        }
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            out.append(Objects.toString(e.getLastTimestamp(), "-")).append("  ").append(e.getType()).append("  ")
                    .append(e.getReason()).append("  x").append(e.getCount() == null ? 1 : e.getCount()).append("  ")
                    .append(e.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static String podLine(Pod pod) {
        var st = pod.getStatus();
        int restarts = st == null ? 0 : st.getContainerStatuses().stream()
                .mapToInt(cs -> cs.getRestartCount() == null ? 0 : cs.getRestartCount()).sum();
        StringBuilder line = new StringBuilder(pod.getMetadata().getName()).append("  node=")
                .append(pod.getSpec() == null ? null : pod.getSpec().getNodeName())
                .append("  phase=").append(st == null ? null : st.getPhase()).append("  restarts=").append(restarts);
        if (st != null) {
            st.getContainerStatuses().forEach(cs -> line.append("\n    ").append(containerLine(cs)));
        }
        return line.toString();
    }

    private static String containerLine(ContainerStatus cs) {
        var state = cs.getState();
        String now = state == null ? "unknown"
                : state.getRunning() != null ? "running since " + state.getRunning().getStartedAt()
                : state.getWaiting() != null ? "waiting: " + state.getWaiting().getReason() + " " + Objects.toString(
                        state.getWaiting().getMessage(), "")
                : state.getTerminated() != null ? "terminated: " + state.getTerminated().getReason() + " exit "
                        + state.getTerminated().getExitCode() : "unknown";
        return cs.getName() + ": ready=" + cs.getReady() + " restarts=" + cs.getRestartCount() + " " + now
                + " image=" + cs.getImage();
    }

    // keeps the end of the log: the lines just before the failure matter most
    static String cap(String log) {
        if (log == null) {
            return "(empty log)";
        }
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= LOG_CAP_BYTES) {
            return log;
        }
        String tail = new String(bytes, bytes.length - LOG_CAP_BYTES, LOG_CAP_BYTES, StandardCharsets.UTF_8);
        return "[log cut to its last " + LOG_CAP_BYTES + " bytes of " + bytes.length + "]\n" + tail;
    }

    private static String attempt(java.util.concurrent.Callable<String> collect) {
        try {
            return collect.call();
        } catch (Exception e) {
            return "evidence collection failed: " + describeError(e);
        }
    }

    private static String describeError(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        return String.join("\n", List.of(lines).subList(0, Math.min(lines.length, 8)));
    }

    private static void save(Path dir, String file, String title, String text, List<String> problems) {
        String clean = Redactor.redact(text);
        try {
            Files.writeString(dir.resolve(file), clean, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            problems.add("cannot write " + dir.resolve(file) + ": " + e);
        }
        try {
            Report.attachText(title, clean);
        } catch (RuntimeException e) {
            problems.add("cannot attach " + title + ": " + e);
        }
    }

    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
