package io.netconform.cni;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads a CNI DaemonSet's readiness and its pods' restarts into {@link CniHealth} parts. */
final class HealthSnapshot {
    /** Waiting reasons that only mean "starting"; any other waiting reason is a failing container. */
    private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");

    private HealthSnapshot() {
    }

    static CniHealth.DaemonSetState state(DaemonSet ds) {
        var status = ds.getStatus();
        int desired = status == null || status.getDesiredNumberScheduled() == null ? 0 : status.getDesiredNumberScheduled();
        int ready = status == null || status.getNumberReady() == null ? 0 : status.getNumberReady();
        return new CniHealth.DaemonSetState(ds.getMetadata().getNamespace(), ds.getMetadata().getName(), desired, ready);
    }

    static List<CniHealth.PodState> podStates(ClusterObjects cluster, DaemonSet ds) {
        List<CniHealth.PodState> out = new ArrayList<>();
        for (Pod pod : cluster.podsOf(ds)) {
            List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : Stream.concat(
                    Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                    Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()).toList();
            int restarts = statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
            String problem = statuses.stream()
                    .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                            && s.getState().getWaiting().getReason() != null
                            && !STARTING.contains(s.getState().getWaiting().getReason()))
                    .map(s -> s.getName() + ": " + s.getState().getWaiting().getReason())
                    .findFirst().orElse(null);
            out.add(new CniHealth.PodState(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), restarts, problem));
        }
        return out;
    }
}
