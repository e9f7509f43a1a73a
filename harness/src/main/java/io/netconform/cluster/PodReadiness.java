package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netconform.cluster.PodStartException.Kind;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Creating test pods and waiting until they can be probed, failing fast and by name when they
 * cannot start.
 *
 * <p>A pod that cannot pull its image never becomes ready; without the fast path a run on an
 * air-gapped cluster would wait minutes and then report every probe as a network failure.
 */
public final class PodReadiness {

    static final long POLL_MS = 500;
    static final Duration POLL = Duration.ofMillis(POLL_MS);
    private static final int EVENTS_SHOWN = 10;

    private static final Set<String> IMAGE_REASONS = Set.of(
            "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable",
            "ImageInspectError");
    private static final Set<String> CONFIG_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError");
    private static final Set<String> CRASH_REASONS = Set.of("CrashLoopBackOff", "RunContainerError");

    private PodReadiness() {
    }

    /**
     * Creates {@code pod} in {@code namespace}. A refusal by admission (Pod Security, a
     * PodSecurityPolicy, a validating webhook, RBAC) becomes {@link Kind#ADMISSION} with the server's
     * own words; other API errors are rethrown as they are.
     */
    public static Pod create(KubernetesClient client, String namespace, Pod pod) {
        String name = pod.getMetadata() == null ? null : pod.getMetadata().getName();
        try {
            return client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 400 && e.getCode() != 403 && e.getCode() != 422) {
                throw e;
            }
            String serverMessage = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage();
            throw new PodStartException(Kind.ADMISSION, namespace, List.of(String.valueOf(name)),
                    "pod " + namespace + "/" + name + " was rejected by the API server (HTTP " + e.getCode() + "): "
                            + serverMessage + admissionHint(serverMessage), e);
        }
    }

    /**
     * Waits until every named pod is Running with all containers ready and an IP, polling every
     * {@value #POLL_MS} ms, and returns them in the order asked.
     *
     * @throws PodStartException as soon as one pod shows a start failure (kind IMAGE, CONFIG,
     *         UNSCHEDULABLE, CRASH; the message has the pod's recent events), or TIMEOUT naming the
     *         pods that were not ready and their last state
     */
    public static List<Pod> awaitReady(KubernetesClient client, String namespace, List<String> podNames, Duration timeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(namespace, "namespace");
        List<String> names = List.copyOf(podNames);
        Map<String, Pod> seen = new ConcurrentHashMap<>();
        try {
            await("pods " + names + " in namespace " + namespace + " to be Running and ready")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(() -> allReady(client, namespace, names, seen));
        } catch (ConditionTimeoutException e) {
            List<String> waiting = names.stream().filter(n -> !ready(seen.get(n))).toList();
            String states = waiting.stream()
                    .map(n -> n + " (" + (seen.containsKey(n) ? state(seen.get(n)) : "not found") + ")")
                    .collect(Collectors.joining("; "));
            throw new PodStartException(Kind.TIMEOUT, namespace, waiting,
                    waiting.size() + " of " + names.size() + " pods in " + namespace + " not ready after "
                            + timeout.toSeconds() + " s: " + states
                            + "; inspect with: kubectl get events -n " + namespace + " --sort-by=.lastTimestamp", e);
        }
        return names.stream().map(seen::get).toList();
    }

    private static boolean allReady(KubernetesClient client, String namespace, List<String> names, Map<String, Pod> seen) {
        Map<String, Pod> byName = client.pods().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
        seen.keySet().retainAll(byName.keySet());
        boolean all = true;
        for (String name : names) {
            Pod pod = byName.get(name);
            if (pod == null) {
                all = false;
                continue;
            }
            seen.put(name, pod);
            Optional<Failure> failure = failure(pod);
            if (failure.isPresent()) {
                Failure f = failure.get();
                throw new PodStartException(f.kind(), namespace, List.of(name),
                        "pod " + namespace + "/" + name + " cannot start: " + f.detail() + hint(f.kind())
                                + "\nrecent events of " + name + ":\n" + events(client, namespace, name));
            }
            all &= ready(pod);
        }
        return all;
    }

    record Failure(Kind kind, String detail) {
    }

    /** The start failure {@code pod} shows, if any; a pod that is merely slow shows none. */
    static Optional<Failure> failure(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : containerStatuses(status)) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && waiting.getReason() != null) {
                String what = "container " + container.getName() + " " + waiting.getReason()
                        + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
                if (IMAGE_REASONS.contains(waiting.getReason())) {
                    return Optional.of(new Failure(Kind.IMAGE, what + " (image " + container.getImage() + ")"));
                }
                if (CONFIG_REASONS.contains(waiting.getReason())) {
                    return Optional.of(new Failure(Kind.CONFIG, what));
                }
                if (CRASH_REASONS.contains(waiting.getReason())) {
                    return Optional.of(new Failure(Kind.CRASH, what));
                }
            }
            ContainerStateTerminated terminated = container.getState() == null ? null : container.getState().getTerminated();
            if (terminated != null) {
                return Optional.of(new Failure(Kind.CRASH, "container " + container.getName() + " terminated with exit code "
                        + terminated.getExitCode() + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")")
                        + (terminated.getMessage() == null ? "" : ": " + terminated.getMessage())));
            }
        }
        for (PodCondition condition : conditions(status)) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                return Optional.of(new Failure(Kind.UNSCHEDULABLE, "Unschedulable: " + condition.getMessage()));
            }
        }
        if ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase())) {
            return Optional.of(new Failure(Kind.CRASH, "phase " + status.getPhase()
                    + (status.getReason() == null ? "" : " (" + status.getReason() + ")")
                    + (status.getMessage() == null ? "" : ": " + status.getMessage())));
        }
        return Optional.empty();
    }

    public static boolean ready(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return false;
        }
        PodStatus status = pod.getStatus();
        List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
        int expected = pod.getSpec() == null || pod.getSpec().getContainers() == null ? 1 : pod.getSpec().getContainers().size();
        return "Running".equals(status.getPhase())
                && status.getPodIP() != null && !status.getPodIP().isEmpty()
                && containers.size() >= expected
                && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    /** One line a person can read: phase, scheduling, and each container's state. */
    static String state(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "no status yet";
        }
        List<String> parts = new ArrayList<>();
        parts.add(status.getPhase() == null ? "no phase" : status.getPhase());
        conditions(status).stream()
                .filter(c -> !"True".equals(c.getStatus()))
                .forEach(c -> parts.add(c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : " " + c.getReason())));
        for (ContainerStatus c : containerStatuses(status)) {
            String s;
            if (c.getState() != null && c.getState().getWaiting() != null) {
                s = "waiting " + c.getState().getWaiting().getReason();
            } else if (c.getState() != null && c.getState().getTerminated() != null) {
                s = "terminated " + c.getState().getTerminated().getExitCode();
            } else if (c.getState() != null && c.getState().getRunning() != null) {
                s = Boolean.TRUE.equals(c.getReady()) ? "running, ready" : "running, not ready";
            } else {
                s = "unknown";
            }
            parts.add(c.getName() + " " + s);
        }
        if (status.getPodIP() == null) {
            parts.add("no IP");
        }
        return String.join(", ", parts);
    }

    /** The pod's events, oldest first, newest {@value #EVENTS_SHOWN}; never hides the failure it explains. */
    static String events(KubernetesClient client, String namespace, String pod) {
        try {
            List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
                    .filter(e -> e.getInvolvedObject().getKind() == null || "Pod".equals(e.getInvolvedObject().getKind()))
                    .sorted(Comparator.comparing(PodReadiness::eventTime))
                    .toList();
            if (events.isEmpty()) {
                return "  (no events; kubectl describe pod -n " + namespace + " " + pod + ")";
            }
            return events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size()).stream()
                    .map(e -> "  " + e.getType() + " " + e.getReason() + ": " + e.getMessage()
                            + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : ""))
                    .collect(Collectors.joining("\n"));
        } catch (KubernetesClientException e) {
            return "  (events unavailable: " + e.getMessage() + ")";
        }
    }

    private static String eventTime(Event event) {
        if (event.getLastTimestamp() != null) {
            return event.getLastTimestamp();
        }
        if (event.getEventTime() != null && event.getEventTime().getTime() != null) {
            return event.getEventTime().getTime();
        }
        return event.getMetadata() == null || event.getMetadata().getCreationTimestamp() == null
                ? "" : event.getMetadata().getCreationTimestamp();
    }

    private static List<ContainerStatus> containerStatuses(PodStatus status) {
        return Stream.of(status.getInitContainerStatuses(), status.getContainerStatuses())
                .filter(Objects::nonNull).flatMap(List::stream).toList();
    }

    private static List<PodCondition> conditions(PodStatus status) {
        return status.getConditions() == null ? List.of() : status.getConditions();
    }

    private static String hint(Kind kind) {
        return switch (kind) {
            case IMAGE -> "; this is an image problem, not a network failure: check the image reference, "
                    + "the registry mirror and imagePullSecrets";
            case UNSCHEDULABLE -> "; test pods tolerate no taints and may be pinned to a node by affinity";
            default -> "";
        };
    }

    private static String admissionHint(String serverMessage) {
        String text = serverMessage == null ? "" : serverMessage;
        if (text.contains("PodSecurity")) {
            return "; test pods need CAP_NET_RAW, which Pod Security \"restricted\" forbids: label the test namespace "
                    + "pod-security.kubernetes.io/enforce=baseline";
        }
        if (text.contains("pod security policy")) {
            return "; test pods need CAP_NET_RAW: grant the namespace's service account a PodSecurityPolicy that allows it";
        }
        return "";
    }
}
