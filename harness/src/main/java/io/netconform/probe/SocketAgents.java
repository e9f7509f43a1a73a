package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.ExecSession;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One resident socket-batch agent per source pod ({@code socket-batch.pl serve}, one exec kept open), so a round of
 * probes costs a line on each pod's stdin instead of an exec: on a small node an exec costs the API server, kubelet
 * and container runtime more than the probes themselves (≈2.5 s for a round of nine pods on the lab, all of it
 * overhead when every pair answers at once). For runs that probe the same pods over and over (the sweep).
 *
 * <p>Nothing depends on an agent: a pod whose agent cannot be opened or has died is probed by exec, and an agent that
 * misses its deadline is closed (its late output must not be read as the next answer) and not reopened for that pod.
 */
public final class SocketAgents implements AutoCloseable {

    private final Executor executor;
    private final Map<PodRef, ExecSession> sessions = new ConcurrentHashMap<>();
    private final Set<PodRef> givenUp = ConcurrentHashMap.newKeySet();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();

    public SocketAgents(Executor executor) {
        this.executor = executor;
    }

    /**
     * The pod's socket checks through its agent, as the output of a completed batch; empty when the pod has no
     * working agent (the caller then execs).
     */
    Optional<ExecResult> run(PodRef pod, List<SocketCheck> checks, Duration limit) {
        if (givenUp.contains(pod)) {
            return Optional.empty();
        }
        ExecSession session = sessions.computeIfAbsent(pod, p -> executor.open(p, SocketBatch.agentCommand()).orElse(null));
        if (session == null) {
            givenUp.add(pod);
            return Optional.empty();
        }
        long id = ids.incrementAndGet();
        long start = System.nanoTime();
        Optional<String> output = session.request("run " + id + " " + SocketBatch.arguments(checks, limit),
                "@@END " + id, limit.plus(Probe.EXEC_MARGIN));
        if (output.isEmpty()) {
            // a pod without perl ends the agent at once (exit 96), a dead or slow one times out: exec from now on
            session.close();
            sessions.remove(pod);
            givenUp.add(pod);
            return Optional.empty();
        }
        batches.incrementAndGet();
        return Optional.of(ExecResult.completed(0, output.get(), "", Duration.ofNanos(System.nanoTime() - start)));
    }

    /** Batches answered by agents so far (each one an exec saved). */
    public int batches() {
        return batches.get();
    }

    /** Agents opened (each one exec, kept open). */
    public int opened() {
        return sessions.size() + givenUp.size();
    }

    @Override
    public void close() {
        sessions.values().forEach(ExecSession::close);
        sessions.clear();
    }
}
