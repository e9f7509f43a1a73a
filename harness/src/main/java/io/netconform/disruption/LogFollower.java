package io.netconform.disruption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.netconform.cluster.TestPods;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Follows one prober pod's log (like {@code kubectl logs -f}) for as long as the watch runs. The prober keeps
 * measuring inside the pod whatever happens to this stream; when the stream breaks (API server restarted,
 * connection dropped), that is reported as a harness/API problem and the stream is resumed a little before
 * the last line seen — the replayed lines are dropped by sequence number downstream, so nothing is lost or
 * counted twice, and no outage is ever inferred from the stream itself.
 */
final class LogFollower implements Runnable {

    /** How far before the last line a resumed stream starts (the pod's clock and the kubelet's may differ). */
    static final Duration REPLAY = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * No line for this long, while the prober writes a heartbeat every second: the stream is stuck, not the network.
     * On the lab a stream once went silent 16 s into a 7-minute watch without ending or failing, and the watch
     * reported every path up for the 390 s it never saw; a silent stream is now resumed like a broken one.
     */
    static final Duration SILENT = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final Consumer<String> lines;
    private final Consumer<String> notices;
    private final AtomicInteger resumed = new AtomicInteger();
    private volatile boolean stopping;
    private volatile LogWatch current;
    private volatile Instant lastPodTime;
    private volatile long lastLineNanos = System.nanoTime();
    private volatile boolean silenced;

    LogFollower(KubernetesClient client, String namespace, String pod, Consumer<String> lines, Consumer<String> notices) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.lines = lines;
        this.notices = notices;
    }

    /** The pod's clock of the last line, so a resumed stream can start shortly before it. */
    void seen(Instant podTime) {
        lastPodTime = podTime;
    }

    int resumed() {
        return resumed.get();
    }

    @Override
    public void run() {
        while (!stopping) {
            String why;
            lastLineNanos = System.nanoTime();
            silenced = false;
            try (LogWatch watch = open()) {
                current = watch;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null && !stopping; line = in.readLine()) {
                        lastLineNanos = System.nanoTime();
                        lines.accept(line);
                    }
                }
                why = "the stream ended";
            } catch (IOException | RuntimeException e) {
                why = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (silenced) {
                why = "silent for " + SILENT.toSeconds() + " s although the prober writes a heartbeat every second";
            }
            if (stopping) {
                return;
            }
            String stopped = terminated();
            if (stopped != null) {
                notices.accept("prober pod " + namespace + "/" + pod + " stopped (" + stopped + "): its paths are no "
                        + "longer measured; inspect with kubectl logs -n " + namespace + " " + pod);
                return;
            }
            resumed.incrementAndGet();
            notices.accept("log stream of " + namespace + "/" + pod + " lost (" + why + "): an API/transport problem, "
                    + "not network downtime; the prober keeps measuring in the pod, resuming the stream");
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private LogWatch open() {
        var container = client.pods().inNamespace(namespace).withName(pod).inContainer(TestPods.CONTAINER);
        Instant since = lastPodTime;
        return since == null ? container.watchLog() : container.sinceTime(since.minus(REPLAY).toString()).watchLog();
    }

    /** Why the pod's container is no longer running, or null while it runs (or cannot be read: try again). */
    private String terminated() {
        try {
            Pod p = client.pods().inNamespace(namespace).withName(pod).get();
            if (p == null) {
                return "deleted";
            }
            if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
                return null;
            }
            return p.getStatus().getContainerStatuses().stream()
                    .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                    .map(s -> "exit " + s.getState().getTerminated().getExitCode() + " "
                            + s.getState().getTerminated().getReason())
                    .findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Called about once a second by the watch: closes a stream that has gone silent, so that run() resumes it. */
    void resumeIfSilent() {
        LogWatch w = current;
        if (!stopping && w != null && System.nanoTime() - lastLineNanos > SILENT.toNanos()) {
            lastLineNanos = System.nanoTime();
            silenced = true;
            w.close();
        }
    }

    void stop() {
        stopping = true;
        LogWatch w = current;
        if (w != null) {
            w.close();
        }
    }
}
