package io.netconform.cni;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A snapshot of the CNI's own pods: DaemonSet readiness and container restarts. Take one at the start and
 * one at the end of a run ({@link CniDetector#health}); {@link #restartsSince} tells whether the CNI
 * restarted underneath the tests, which explains failures no policy or probe could.
 */
public record CniHealth(List<DaemonSetState> daemonSets, List<PodState> pods) {

    /** One CNI DaemonSet: pods it should run (desiredNumberScheduled) and pods ready (numberReady). */
    public record DaemonSetState(String namespace, String name, int desired, int ready) {
        public boolean fullyReady() {
            return ready >= desired;
        }

        @Override
        public String toString() {
            return name + " " + ready + "/" + desired + " ready";
        }
    }

    /**
     * One CNI pod: restarts summed over its (init) containers, and the reason a container is stuck
     * (e.g. "calico-node: CrashLoopBackOff"), or {@code null}.
     */
    public record PodState(String namespace, String name, int restarts, String problem) {
        String key() {
            return namespace + "/" + name;
        }
    }

    /** No CNI pods to watch: the CNI runs outside pods (K3s) or was not found. */
    public static final CniHealth NOT_OBSERVED = new CniHealth(List.of(), List.of());

    public CniHealth {
        daemonSets = List.copyOf(daemonSets);
        pods = List.copyOf(pods);
    }

    public boolean observed() {
        return !daemonSets.isEmpty();
    }

    /** Every CNI DaemonSet fully ready and no CNI container waiting in a failure state. */
    public boolean healthy() {
        return daemonSets.stream().allMatch(DaemonSetState::fullyReady)
                && pods.stream().allMatch(p -> p.problem() == null);
    }

    public int totalRestarts() {
        return pods.stream().mapToInt(PodState::restarts).sum();
    }

    /**
     * Container restarts that happened after {@code earlier} was taken. A pod that did not exist then
     * (recreated by its DaemonSet) counts with all its restarts.
     */
    public int restartsSince(CniHealth earlier) {
        Map<String, Integer> before = new HashMap<>();
        earlier.pods().forEach(p -> before.put(p.key(), p.restarts()));
        return pods.stream().mapToInt(p -> Math.max(0, p.restarts() - before.getOrDefault(p.key(), 0))).sum();
    }

    /** The pods whose restart count grew since {@code earlier}, as "namespace/name (+n)". */
    public List<String> podsRestartedSince(CniHealth earlier) {
        Map<String, Integer> before = new HashMap<>();
        earlier.pods().forEach(p -> before.put(p.key(), p.restarts()));
        List<String> out = new ArrayList<>();
        for (PodState p : pods) {
            int grew = p.restarts() - before.getOrDefault(p.key(), 0);
            if (grew > 0) {
                out.add(p.key() + " (+" + grew + ")");
            }
        }
        return out;
    }

    /** One line: "rke2-canal 3/3 ready, 0 restarts", or what is wrong, naming the pods and their restarts. */
    public String message() {
        if (!observed()) {
            return "no CNI pods to watch";
        }
        String readiness = daemonSets.stream().map(DaemonSetState::toString).collect(Collectors.joining(", "));
        String line = readiness + ", " + totalRestarts() + " restart" + (totalRestarts() == 1 ? "" : "s");
        List<String> troubled = pods.stream().filter(p -> p.problem() != null)
                .map(p -> p.key() + " (" + p.problem() + ", " + p.restarts() + " restarts)")
                .toList();
        if (healthy()) {
            return line;
        }
        return "UNHEALTHY: " + line + (troubled.isEmpty() ? "" : "; failing: " + String.join(", ", troubled));
    }

    @Override
    public String toString() {
        return message();
    }
}
