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
    private final Duration silent;
    private final String namespace;
    private final String pod;
    private final Consumer<String> lines;
    private final Consumer<String> notices;
    private final AtomicInteger resumed = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Attempt current;
    private volatile Instant lastPodTime;

    LogFollower(KubernetesClient client, String namespace, String pod, Consumer<String> lines, Consumer<String> notices) {
        this(client, namespace, pod, lines, notices, SILENT);
    }

    /** @param silent how long without a line (or without an answer to the request) a stream is given up */
    LogFollower(KubernetesClient client, String namespace, String pod, Consumer<String> lines, Consumer<String> notices,
                Duration silent) {
        this.silent = silent;
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
            Attempt attempt = new Attempt();
            current = attempt;
            // the request and the reads run in a thread of their own, and this one waits with a timeout: a log request
            // the API server never answers blocks in fabric8's watchLog() without a deadline, and a stream that stops
            // delivering without ending blocks a read forever (closing it does not always unblock that read)
            Thread reader = new Thread(attempt, "watch-read-" + pod);
            reader.setDaemon(true);
            reader.start();
            String why = null;
            try {
                while (!stopping && why == null) {
                    Object next = attempt.queue.poll(silent.toMillis(), TimeUnit.MILLISECONDS);
                    if (next == null) {
                        why = attempt.opened ? "silent for " + silent.toSeconds() + " s although the prober writes a "
                                + "heartbeat every second" : "no answer to the log request within " + silent.toSeconds() + " s";
                    } else if (next == END) {
                        why = "the stream ended" + attempt.ending();
                    } else if (next instanceof Exception e) {
                        why = e.getClass().getSimpleName() + ": " + e.getMessage() + attempt.ending();
                    } else if (next != OPENED) {
                        attempt.saw((String) next);
                        lines.accept((String) next);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                attempt.abandon();
                reader.interrupt();
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

    private static final Object OPENED = new Object();
    private static final Object END = new Object();

    /** One log request and its stream; abandoned by the follower when it gives up on it, closed by whoever is last. */
    private final class Attempt implements Runnable {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile boolean opened;
        private LogWatch watch;
        private boolean abandoned;
        private int count;
        private String last;

        @Override
        public void run() {
            try {
                LogWatch w = open();
                synchronized (this) {
                    if (abandoned) {
                        close(w);
                        return;
                    }
                    watch = w;
                }
                if (w.getOutput() == null) {
                    // fabric8 leaves no stream when the request itself failed, and hands the cause to onClose
                    Throwable cause = w.onClose().toCompletableFuture().getNow(null);
                    throw new IOException("the log request failed" + (cause == null ? "" : ": " + cause));
                }
                opened = true;
                queue.add(OPENED);
                try (BufferedReader in = new BufferedReader(new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        queue.add(line);
                    }
                }
                queue.add(END);
            } catch (IOException | RuntimeException e) {
                queue.add(e);
            }
        }

        void saw(String line) {
            count++;
            last = line;
        }

        /**
         * How many lines this stream gave, and its last line when that was not the prober's: an API server that
         * cannot reach the kubelet answers with a Status in the stream and ends it, and that line says why.
         */
        String ending() {
            String tail = last == null || ProberLine.parse(last).isPresent() ? ""
                    : "; last line: " + (last.length() > 200 ? last.substring(0, 200) + "…" : last);
            return " after " + count + (count == 1 ? " line" : " lines") + tail;
        }

        synchronized void abandon() {
            abandoned = true;
            close(watch);
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
        Attempt a = current;
        if (a != null) {
            a.abandon();
        }
    }
}
