package io.netconform.service;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import io.netconform.probe.WhoamiProbe;
import io.netconform.report.BrokenCheck;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * Clients that keep sending from several pods at once (one {@link Timeline#loop} per pod, each in its own exec)
 * while the harness changes the cluster. {@link #awaitRunning} returns once every loop has shown it is running, so a
 * change made afterwards is seen from its start; {@link #finish} waits for the loops and reads their timelines.
 */
public final class ClientLoops implements AutoCloseable {

    private final Executor executor;
    private final String marker;
    private final Map<PodRef, List<String>> commands = new LinkedHashMap<>();
    private final Map<PodRef, Duration> offsets = new LinkedHashMap<>();
    private final Map<PodRef, CompletableFuture<ExecResult>> running = new LinkedHashMap<>();
    private final ExecutorService threads;

    private ClientLoops(Executor executor, String marker, int n) {
        this.executor = executor;
        this.marker = marker;
        this.threads = Executors.newFixedThreadPool(Math.max(1, n));
    }

    /**
     * Reads each pod's clock offset, then starts {@code probeFor(pod)} in a loop in every pod for at most
     * {@code seconds}; see {@link Timeline#loop} for {@code readyWhen} and {@code stopWhen}.
     */
    public static ClientLoops start(Executor executor, List<PodRef> pods, Function<PodRef, WhoamiProbe> probeFor,
                                    int seconds, String readyWhen, String stopWhen) {
        String marker = "/tmp/netconform-loop-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        ClientLoops loops = new ClientLoops(executor, marker, pods.size());
        for (PodRef pod : pods) {
            loops.offsets.put(pod, Timeline.clockOffset(executor, pod));
        }
        Duration limit = Duration.ofSeconds(seconds + 15L);
        for (PodRef pod : pods) {
            List<String> command = Timeline.loop(probeFor.apply(pod), seconds, marker, readyWhen, stopWhen);
            loops.commands.put(pod, command);
            loops.running.put(pod, CompletableFuture.supplyAsync(() -> executor.exec(pod, command, limit), loops.threads));
        }
        return loops;
    }

    /** Waits until every loop has touched its marker (it runs, and saw {@code readyWhen}); fails naming the laggards. */
    public ClientLoops awaitRunning(Duration timeout) {
        List<PodRef> waiting = new ArrayList<>(commands.keySet());
        try {
            await("client loops running in " + waiting).atMost(timeout).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        waiting.removeIf(this::markerPresent);
                        return waiting.isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            // the loops are the check's eyes: without them nothing was observed
            BrokenCheck broken = BrokenCheck.of("client loops did not start within " + timeout.toSeconds() + " s:")
                    .causedBy(e);
            for (PodRef pod : waiting) {
                CompletableFuture<ExecResult> f = running.get(pod);
                broken.item(pod + ": " + (f.isDone() ? "loop ended: " + f.join() + " " + f.join().output().strip()
                        : "no sign yet"), pod.kubectlExec(commands.get(pod)));
            }
            throw broken;
        }
        return this;
    }

    private boolean markerPresent(PodRef pod) {
        ExecResult r = executor.exec(pod, List.of("test", "-e", marker), Duration.ofSeconds(10));
        return r.completed() && r.exitCode() == 0;
    }

    /** Tells every loop to stop after its current attempt (it also stops at its own deadline). */
    public ClientLoops stop() {
        for (PodRef pod : commands.keySet()) {
            executor.exec(pod, List.of("touch", marker + ".stop"), Duration.ofSeconds(10));
        }
        return this;
    }

    /** Waits for every loop to end and reads what it saw; an exec that failed is an error naming the pod. */
    public Map<PodRef, Timeline> finish() {
        Map<PodRef, Timeline> timelines = new LinkedHashMap<>();
        for (Map.Entry<PodRef, CompletableFuture<ExecResult>> e : running.entrySet()) {
            ExecResult r = e.getValue().join();
            PodRef pod = e.getKey();
            if (!r.completed()) {
                throw BrokenCheck.of("client loop in " + pod + " did not complete: " + r)
                        .reproduce(pod.kubectlExec(commands.get(pod)));
            }
            timelines.put(pod, Timeline.parse(pod, commands.get(pod), r.stdout(), offsets.get(pod)));
        }
        return timelines;
    }

    public Duration clockOffset(PodRef pod) {
        return offsets.get(pod);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
