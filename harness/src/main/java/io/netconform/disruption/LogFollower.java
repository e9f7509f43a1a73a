package io.netconform.disruption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.netconform.cluster.TestPods;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
     * reported every path up for the 390 s it never saw (`kubectl logs -f` on the lab stalls the same way after
     * 15-30 s, while the pod keeps writing); a silent stream is now resumed like a broken one.
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
            LogWatch watch = null;
            Thread reader = null;
            try {
                watch = open();
                current = watch;
                // read in a thread of its own and wait here with a timeout: a stream that stops delivering without
                // ending blocks a read forever, and closing it does not always unblock that read
                BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
                InputStream output = watch.getOutput();
                reader = new Thread(() -> read(output, queue), "watch-read-" + pod);
                reader.setDaemon(true);
                reader.start();
                why = null;
                while (!stopping && why == null) {
                    Object next = queue.poll(SILENT.toMillis(), TimeUnit.MILLISECONDS);
                    if (next == null) {
                        why = "silent for " + SILENT.toSeconds() + " s although the prober writes a heartbeat every second";
                    } else if (next == END) {
                        why = "the stream ended";
                    } else if (next instanceof Exception e) {
                        why = e.getClass().getSimpleName() + ": " + e.getMessage();
                    } else {
                        lines.accept((String) next);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                why = e.getClass().getSimpleName() + ": " + e.getMessage();
            } finally {
                close(watch);
                if (reader != null) {
                    reader.interrupt();
                }
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

    private static final Object END = new Object();

    private static void read(InputStream output, BlockingQueue<Object> queue) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                queue.add(line);
            }
            queue.add(END);
        } catch (IOException | RuntimeException e) {
            queue.add(e);
        }
    }

    private static void close(LogWatch watch) {
        if (watch != null) {
            try {
                watch.close();
            } catch (RuntimeException e) {
                // already broken: the next stream is what matters
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

    void stop() {
        stopping = true;
        LogWatch w = current;
        if (w != null) {
            w.close();
        }
    }
}
