package io.netconform.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.junit.Run;
import io.netconform.service.Backends;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Node evidence for a run (opt-in, {@code --node-evidence}): a privileged hostNetwork pod per sampled node reads the
 * node's conntrack and kernel counters and its network settings before and after every suite, and the differences
 * are attributed to the suite that ran in between ("insert_failed +37 on n2 during dns"). Privileged because
 * {@code conntrack -S} talks netlink with CAP_NET_ADMIN; hostNetwork because the counters are per network namespace.
 */
public final class NodeEvidence {

    private final Run run;
    private final Map<String, PodRef> pods;
    private final List<NodeChange> changes = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Map<String, NodeSnapshot> first;
    private Map<String, NodeSnapshot> phaseStart;
    private Map<String, NodeSnapshot> last;
    private String phase;

    private NodeEvidence(Run run, Map<String, PodRef> pods) {
        this.run = run;
        this.pods = pods;
    }

    /**
     * Deploys the pods and takes the first snapshot. Admission refusing a privileged hostNetwork pod throws
     * {@link io.netconform.cluster.PodStartException} of kind ADMISSION with the server's words; the caller says so.
     */
    public static NodeEvidence deploy(Run run) {
        String ns = run.namespaces().create("node-evidence", "node-evidence", Map.of());
        List<String> names = new ArrayList<>();
        for (String node : run.placement().nodes()) {
            Pod pod = TestPods.onNode(Backends.onHostNetwork(TestPods.netshootClient(run.images(), "evidence-" + node))
                    .editSpec().editFirstContainer().withNewSecurityContext().withPrivileged(true).endSecurityContext()
                    .endContainer().endSpec(), node).build();
            PodReadiness.create(run.cluster().client(), ns, pod);
            names.add(pod.getMetadata().getName());
        }
        Map<String, PodRef> pods = new LinkedHashMap<>();
        for (Pod ready : PodReadiness.awaitReady(run.cluster().client(), ns, names, run.config().podReadyTimeout())) {
            pods.put(ready.getSpec().getNodeName(), new PodRef(ns, ready.getMetadata().getName(), TestPods.CONTAINER));
        }
        NodeEvidence evidence = new NodeEvidence(run, pods);
        evidence.first = evidence.snapshots();
        evidence.last = evidence.first;
        evidence.first.values().forEach(s -> s.unavailable().forEach(u -> evidence.notes.add(s.node() + ": " + u)));
        return evidence;
    }

    /** A snapshot of every node, read in parallel; a node that cannot be read is noted and left out. */
    private Map<String, NodeSnapshot> snapshots() {
        Map<String, CompletableFuture<ExecResult>> running = new LinkedHashMap<>();
        List<String> command = List.of("sh", "-c", NodeSnapshot.SCRIPT);
        pods.forEach((node, pod) -> running.put(node, CompletableFuture.supplyAsync(
                () -> run.executor().exec(pod, command, Duration.ofSeconds(30)))));
        Map<String, NodeSnapshot> snapshots = new LinkedHashMap<>();
        Instant at = Instant.now();
        running.forEach((node, future) -> {
            ExecResult r = future.join();
            if (r.completed() && r.exitCode() == 0) {
                snapshots.put(node, NodeSnapshot.parse(node, at, r.stdout()));
            } else {
                notes.add(node + ": snapshot failed (" + r + "); reproduce: " + pods.get(node).kubectlExec(command));
            }
        });
        return snapshots;
    }

    /** A suite begins: the snapshot its changes are measured from. */
    public synchronized void begin(String phase) {
        this.phase = phase;
        this.phaseStart = snapshots();
        this.last = phaseStart;
    }

    /** The suite that began last ended: what changed on each node is attributed to it. */
    public synchronized void end() {
        if (phaseStart == null) {
            return;
        }
        Map<String, NodeSnapshot> now = snapshots();
        now.forEach((node, after) -> {
            NodeSnapshot before = phaseStart.get(node);
            if (before != null) {
                changes.addAll(NodeChange.between(phase, before, after));
            }
        });
        last = now;
        phaseStart = null;
    }

    /** Changes per suite, then the whole run's (first snapshot to last). */
    public synchronized List<NodeChange> changes() {
        List<NodeChange> all = new ArrayList<>(changes);
        last.forEach((node, after) -> {
            NodeSnapshot before = first.get(node);
            if (before != null && before != after) {
                all.addAll(NodeChange.between("the whole run", before, after));
            }
        });
        return all;
    }

    /** What could not be read (a tool missing from the image, a failed exec). */
    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** The diff as Markdown: flagged changes first, then the rest, then the first and last snapshots' figures. */
    public synchronized String report() {
        List<NodeChange> all = changes();
        StringBuilder md = new StringBuilder("# Node evidence\n\nnodes: ").append(String.join(", ", pods.keySet()))
                .append("\n\n## Flagged\n\n");
        List<NodeChange> flagged = all.stream().filter(NodeChange::flagged).toList();
        md.append(flagged.isEmpty() ? "nothing\n" : flagged.stream().map(c -> "- " + c.describe())
                .collect(Collectors.joining("\n", "", "\n")));
        md.append("\n## Other changes\n\n| node | during | what | before | after | change |\n| --- | --- | --- | --- | --- | --- |\n");
        all.stream().filter(c -> !c.flagged()).forEach(c -> md.append("| ").append(c.node()).append(" | ")
                .append(c.phase()).append(" | ").append(c.key()).append(" | ").append(c.before()).append(" | ")
                .append(c.after()).append(" | ").append(c.delta() == 0 ? "" : String.format("%+d", c.delta()))
                .append(" |\n"));
        md.append("\n## At the start and at the end\n");
        first.forEach((node, before) -> {
            NodeSnapshot after = last.getOrDefault(node, before);
            md.append("\n### ").append(node).append("\n\n| what | start | end |\n| --- | --- | --- |\n");
            before.counters().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" | ")
                    .append(after.counters().get(k)).append(" |\n"));
            before.settings().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" | ")
                    .append(after.settings().get(k)).append(" |\n"));
        });
        if (!notes.isEmpty()) {
            md.append("\n## Not read\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }
}
