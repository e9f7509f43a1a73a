package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs probes with one exec per source pod: all probes of a pod go into one {@link BatchScript} and run
 * concurrently inside it, and different pods' execs run in parallel. A batch therefore costs about one
 * probe timeout, and a truth table over n pods costs n execs instead of n² (upstream e2e: one per probe).
 *
 * <p>Configuration is immutable ({@code with...} returns a copy with its own exec counter).
 */
public final class BatchProber {

    /** Exec time allowed per probe of a batch on top of the slowest probe's budget. */
    static final Duration PER_PROBE = Duration.ofMillis(150);

    private final Executor executor;
    private final Duration probeTimeout;
    private final int execRetries;
    private final int parallelism;
    private final Duration pollInterval;
    private final AtomicInteger execs = new AtomicInteger();

    public BatchProber(Executor executor, Duration probeTimeout) {
        this(executor, probeTimeout, 2, 16, Duration.ofSeconds(1));
    }

    private BatchProber(Executor executor, Duration probeTimeout, int execRetries, int parallelism,
                        Duration pollInterval) {
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive, was " + probeTimeout);
        }
        if (execRetries < 0 || parallelism < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("need execRetries >= 0, parallelism >= 1 and a positive poll interval;"
                    + " got " + execRetries + ", " + parallelism + ", " + pollInterval);
        }
        this.executor = executor;
        this.probeTimeout = probeTimeout;
        this.execRetries = execRetries;
        this.parallelism = parallelism;
        this.pollInterval = pollInterval;
    }

    /** How many more times an exec that failed in transport is repeated before its probes become ERROR (default 2). */
    public BatchProber withExecRetries(int retries) {
        return new BatchProber(executor, probeTimeout, retries, parallelism, pollInterval);
    }

    /** How many source pods are exec'd at the same time (default 16). */
    public BatchProber withParallelism(int pods) {
        return new BatchProber(executor, probeTimeout, execRetries, pods, pollInterval);
    }

    /** Time between the starts of two verification rounds (default 1 s, as upstream e2e). */
    public BatchProber withPollInterval(Duration interval) {
        return new BatchProber(executor, probeTimeout, execRetries, parallelism, interval);
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** Execs issued by this prober so far, retries included. */
    public int execCount() {
        return execs.get();
    }

    /** Runs every request once: one exec per source pod, pods in parallel. Results by request key. */
    public Map<ProbeKey, ProbeResult> run(List<ProbeRequest> requests) {
        checkUniqueKeys(requests);
        Map<PodRef, List<ProbeRequest>> bySource = requests.stream()
                .collect(Collectors.groupingBy(ProbeRequest::source, LinkedHashMap::new, Collectors.toList()));
        if (bySource.size() <= 1) {
            return bySource.entrySet().stream().findFirst().map(e -> runBatch(e.getKey(), e.getValue()))
                    .orElse(Map.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, bySource.size()));
        try {
            List<Future<Map<ProbeKey, ProbeResult>>> futures = new ArrayList<>();
            bySource.forEach((source, batch) -> futures.add(pool.submit(() -> runBatch(source, batch))));
            Map<ProbeKey, ProbeResult> results = new HashMap<>();
            for (Future<Map<ProbeKey, ProbeResult>> f : futures) {
                results.putAll(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("probing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Probes until every key matches {@code expectAllowed} or the deadline passes. Only pending keys (wrong,
     * or ERROR) are probed again, in rounds {@link #withPollInterval poll interval} apart, one exec per
     * source pod per round. The loop is bounded by the deadline: each round starts at least one interval
     * after the previous one, and no round starts after the deadline.
     */
    public Verification verify(List<ProbeRequest> requests, Map<ProbeKey, Boolean> expectAllowed, Duration deadline) {
        checkUniqueKeys(requests);
        List<String> unexpected = requests.stream().filter(r -> !expectAllowed.containsKey(r.key()))
                .map(ProbeRequest::name).sorted().toList();
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("no expectation for " + unexpected);
        }
        int execsBefore = execs.get();
        long start = System.nanoTime();
        long deadlineAt = start + deadline.toNanos();
        long roundStart = start;
        Map<ProbeKey, ProbeResult> observed = new HashMap<>(run(requests));
        Map<ProbeKey, Duration> matchedAt = new HashMap<>();
        Duration convergedAfter = null;
        int rounds = 1;
        boolean lateRetryDone = false;
        while (true) {
            Duration sinceStart = Duration.ofNanos(roundStart - start);
            List<ProbeRequest> pending = new ArrayList<>();
            for (ProbeRequest r : requests) {
                if (ProbedPair.matches(observed.get(r.key()), expectAllowed.get(r.key()))) {
                    matchedAt.putIfAbsent(r.key(), sinceStart);
                } else {
                    matchedAt.remove(r.key());
                    pending.add(r);
                }
            }
            if (pending.isEmpty()) {
                convergedAfter = sinceStart;
                break;
            }
            long nextRound = roundStart + pollInterval.toNanos();
            if (nextRound > deadlineAt) {
                // an ERROR is no observation: a slow exec on a busy cluster can eat the whole deadline in the first
                // round, so keys that never got one are probed once more past it, and only those
                List<ProbeRequest> unobserved = pending.stream()
                        .filter(r -> observed.get(r.key()).verdict() == Verdict.ERROR).toList();
                if (lateRetryDone || unobserved.isEmpty()) {
                    break;
                }
                lateRetryDone = true;
                pending = unobserved;
            }
            sleepUntil(nextRound);
            roundStart = System.nanoTime();
            observed.putAll(run(pending));
            rounds++;
        }
        List<ProbedPair> pairs = requests.stream().map(r -> new ProbedPair(r, expectAllowed.get(r.key()),
                observed.get(r.key()), Optional.ofNullable(matchedAt.get(r.key())))).toList();
        return new Verification(pairs, Optional.ofNullable(convergedAfter), rounds, execs.get() - execsBefore,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Map<ProbeKey, ProbeResult> runBatch(PodRef source, List<ProbeRequest> batch) {
        List<List<String>> commands = batch.stream().map(r -> r.probe().command()).toList();
        Duration budget = batch.stream().map(r -> r.probe().budget()).reduce(probeTimeout,
                (a, b) -> a.compareTo(b) >= 0 ? a : b);
        // starting many probes at once takes a busy node a moment: allow some per probe; the script's watchdog ends
        // what still runs a margin before we give up on the exec, so finished probes still come back
        Duration running = budget.plus(PER_PROBE.multipliedBy(batch.size()));
        List<String> script = BatchScript.command(commands, running.plusSeconds(1));
        Duration limit = running.plus(Probe.EXEC_MARGIN);
        ExecResult exec;
        int attempts = 0;
        do {
            exec = executor.exec(source, script, limit);
            execs.incrementAndGet();
            attempts++;
        } while (exec.status() == ExecResult.Status.TRANSPORT_ERROR && attempts <= execRetries);

        Map<ProbeKey, ProbeResult> results = new LinkedHashMap<>();
        if (!exec.completed()) {
            for (ProbeRequest r : batch) {
                results.put(r.key(), new ProbeResult(Verdict.ERROR,
                        "batch exec of " + batch.size() + " probes on " + source + " " + exec.status() + " after "
                                + attempts + " attempt(s): " + exec.error(),
                        exec.output(), -1, exec.duration(), r.reproduce(), Map.of()));
            }
            return results;
        }
        Map<Integer, ExecResult> pieces = BatchScript.parse(exec);
        for (int i = 0; i < batch.size(); i++) {
            ProbeRequest r = batch.get(i);
            ExecResult piece = pieces.get(i);
            results.put(r.key(), piece != null
                    ? r.probe().read(piece, r.reproduce())
                    : new ProbeResult(Verdict.ERROR, "no record for this probe in the batch output (script exit "
                            + exec.exitCode() + ", script stderr: " + Text.firstLine(exec.stderr() == null ? "" : exec.stderr()) + ")",
                            exec.output(), -1, exec.duration(), r.reproduce(), Map.of()));
        }
        return results;
    }

    private static void checkUniqueKeys(List<ProbeRequest> requests) {
        Set<ProbeKey> seen = new HashSet<>();
        for (ProbeRequest r : requests) {
            if (!seen.add(r.key())) {
                throw new IllegalArgumentException("probe '" + r.name() + "' (" + r.key()
                        + ") is requested twice; keys must be unique");
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next probing round", e);
        }
    }
}
