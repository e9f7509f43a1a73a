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
    private final boolean socketBatch;
    private final SocketAgents agents;
    /** Null: no confirmation round. Otherwise the wait before every pair is probed once more ({@link #withConfirmation}). */
    private final Duration confirmAfter;
    private final AtomicInteger execs = new AtomicInteger();
    /** Pods found without perl: their connect/echo probes go through the shell batch from then on. */
    private final Set<PodRef> withoutPerl = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public BatchProber(Executor executor, Duration probeTimeout) {
        this(executor, probeTimeout, 2, 16, Duration.ofSeconds(1), true, null, null);
    }

    private BatchProber(Executor executor, Duration probeTimeout, int execRetries, int parallelism,
                        Duration pollInterval, boolean socketBatch, SocketAgents agents, Duration confirmAfter) {
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive, was " + probeTimeout);
        }
        if (execRetries < 0 || parallelism < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("need execRetries >= 0, parallelism >= 1 and a positive poll interval;"
                    + " got " + execRetries + ", " + parallelism + ", " + pollInterval);
        }
        if (confirmAfter != null && confirmAfter.isNegative()) {
            throw new IllegalArgumentException("the confirmation wait must not be negative, was " + confirmAfter);
        }
        this.executor = executor;
        this.probeTimeout = probeTimeout;
        this.execRetries = execRetries;
        this.parallelism = parallelism;
        this.pollInterval = pollInterval;
        this.socketBatch = socketBatch;
        this.agents = agents;
        this.confirmAfter = confirmAfter;
    }

    /** How many more times an exec that failed in transport is repeated before its probes become ERROR (default 2). */
    public BatchProber withExecRetries(int retries) {
        return new BatchProber(executor, probeTimeout, retries, parallelism, pollInterval, socketBatch, agents, confirmAfter);
    }

    /** How many source pods are exec'd at the same time (default 16). */
    public BatchProber withParallelism(int pods) {
        return new BatchProber(executor, probeTimeout, execRetries, pods, pollInterval, socketBatch, agents, confirmAfter);
    }

    /** Time between the starts of two verification rounds (default 1 s, as upstream e2e). */
    public BatchProber withPollInterval(Duration interval) {
        return new BatchProber(executor, probeTimeout, execRetries, parallelism, interval, socketBatch, agents, confirmAfter);
    }

    /**
     * Whether TCP connect and UDP echo probes run in one process per pod ({@link SocketBatch}, default) or as one tool
     * per probe ({@link BatchScript}); the latter is what a person reproduces by hand, and what the shell does anyway
     * in pods without perl.
     */
    public BatchProber withSocketBatch(boolean enabled) {
        return new BatchProber(executor, probeTimeout, execRetries, parallelism, pollInterval, enabled, agents, confirmAfter);
    }

    /**
     * Probes a pod's connects and echoes through its resident agent (one exec kept open per pod) instead of an exec per
     * round; the caller owns {@code agents} and closes them. Pods without a working agent are exec'd as before.
     */
    public BatchProber withAgents(SocketAgents agents) {
        return new BatchProber(executor, probeTimeout, execRetries, parallelism, pollInterval, socketBatch, agents, confirmAfter);
    }

    /**
     * Once every pair matches, waits {@code wait} and probes every pair once more, blocked ones too; a mismatch there
     * is pending again, until the deadline. Without it (the default) only the expected-allowed pairs seen before the
     * round that settled it are probed again, which leaves two things unseen: a pair that should stay blocked, was
     * blocked before the change and is opened by it; and a change that reaches the data plane after a first round in
     * which every pair already matched. Each confirmation costs the wait plus a probe timeout (a drop).
     */
    public BatchProber withConfirmation(Duration wait) {
        return new BatchProber(executor, probeTimeout, execRetries, parallelism, pollInterval, socketBatch, agents, wait);
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
     * after the previous one, and no round starts after the deadline. Once every key matches, the allowed keys seen
     * before the settling round are probed once more ({@link #withConfirmation}: every key, after a wait).
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
        Set<ProbeKey> lastRound = requests.stream().map(ProbeRequest::key).collect(Collectors.toSet());
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
                // A pair that matched in an earlier round may have been seen before the change reached the data
                // plane: an allowed pair probed before a policy took effect is still open, and was never probed
                // again. On the lab, a fault that drops what a rule without peers allows went unseen that way: the
                // pairs it breaks matched in round 1, the ones the policy rightly blocks converged in round 2. So the
                // expected-allowed pairs not probed in the round that settled it are probed once more; a connect that
                // succeeds returns in milliseconds, so this costs one round trip. (Expected-blocked pairs are not: a
                // drop costs a whole probe timeout. withConfirmation probes them all, after a wait, when asked.)
                // (A confirmation that finds a mismatch leaves it pending, so the next time we get here a round of
                // pending pairs has run since: every settling is confirmed once.)
                List<ProbeRequest> again = confirmAfter != null ? requests : rounds == 1 ? List.of() : requests.stream()
                        .filter(r -> expectAllowed.get(r.key()) && !lastRound.contains(r.key())).toList();
                // a confirmation is a check, not a retry: it runs even when the settling round ended past the deadline
                if (!again.isEmpty() && (confirmAfter != null || System.nanoTime() < deadlineAt)) {
                    if (confirmAfter != null) {
                        sleepUntil(System.nanoTime() + confirmAfter.toNanos());
                    }
                    observed.putAll(run(again));
                    rounds++;
                    lastRound.clear();
                    again.forEach(r -> lastRound.add(r.key()));
                    if (again.stream().allMatch(r -> ProbedPair.matches(observed.get(r.key()), expectAllowed.get(r.key())))) {
                        convergedAfter = sinceStart;
                        break;
                    }
                    continue;
                }
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
            lastRound.clear();
            pending.forEach(r -> lastRound.add(r.key()));
        }
        List<ProbedPair> pairs = requests.stream().map(r -> new ProbedPair(r, expectAllowed.get(r.key()),
                observed.get(r.key()), Optional.ofNullable(matchedAt.get(r.key())))).toList();
        return new Verification(pairs, Optional.ofNullable(convergedAfter), rounds, execs.get() - execsBefore,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * One exec for the pod's probes: its TCP connects and UDP echoes in one perl process ({@link SocketBatch}), the
     * rest (ping, SCTP, DNS, HTTP…) as tools in the shell batch — with the perl process as one more entry of that
     * batch when there are both. A pod without perl costs one extra exec, once; its probes then all go to the shell.
     */
    private Map<ProbeKey, ProbeResult> runBatch(PodRef source, List<ProbeRequest> batch) {
        List<ProbeRequest> sockets = socketBatch && !withoutPerl.contains(source)
                ? batch.stream().filter(r -> r.probe().socketCheck().isPresent()).toList() : List.of();
        if (sockets.isEmpty()) {
            return runShell(source, batch, List.of()).results();
        }
        List<ProbeRequest> tools = batch.stream().filter(r -> r.probe().socketCheck().isEmpty()).toList();
        List<SocketCheck> checks = sockets.stream().map(r -> r.probe().socketCheck().orElseThrow()).toList();
        Duration running = checks.stream().map(SocketCheck::timeout).reduce(probeTimeout,
                (a, b) -> a.compareTo(b) >= 0 ? a : b).plus(SocketBatch.PER_PROBE.multipliedBy(checks.size()));
        List<String> perl = SocketBatch.command(checks, running.plusSeconds(1));
        Map<ProbeKey, ProbeResult> results = new LinkedHashMap<>();
        ExecResult socketOutput;
        Optional<ExecResult> viaAgent = tools.isEmpty() && agents != null
                ? agents.run(source, checks, running) : Optional.empty();
        if (viaAgent.isPresent()) {
            socketOutput = viaAgent.get();
        } else if (tools.isEmpty()) {
            Attempt attempt = exec(source, perl, running.plus(Probe.EXEC_MARGIN));
            if (!attempt.exec().completed()) {
                sockets.forEach(r -> results.put(r.key(), execFailed(source, batch.size(), attempt, r)));
                return results;
            }
            socketOutput = attempt.exec();
        } else {
            Shell shell = runShell(source, tools, perl);
            results.putAll(shell.results());
            if (shell.failed() != null) {
                sockets.forEach(r -> results.put(r.key(), execFailed(source, batch.size(), shell.failed(), r)));
                return results;
            }
            socketOutput = shell.extraPiece();
        }
        if (socketOutput.exitCode() == SocketBatch.NO_PERL) {
            withoutPerl.add(source);
            results.putAll(runShell(source, sockets, List.of()).results());
            return results;
        }
        Map<Integer, SocketBatch.Outcome> outcomes = SocketBatch.parse(socketOutput, checks);
        for (int i = 0; i < sockets.size(); i++) {
            ProbeRequest r = sockets.get(i);
            SocketBatch.Outcome o = outcomes.get(i);
            results.put(r.key(), o != null
                    ? new ProbeResult(o.verdict(), o.detail(), o.line(), 0, o.elapsed(), r.reproduce(), Map.of())
                    : noRecord(socketOutput, r));
        }
        return results;
    }

    /**
     * What a shell batch gave: the results of its probes; the exec that failed as a whole (else null); the output of
     * the extra entry when there was one (an empty piece with exit -1 when it left no record).
     */
    private record Shell(Map<ProbeKey, ProbeResult> results, Attempt failed, ExecResult extraPiece) {
    }

    /** The probes as tools in the shell batch, plus {@code extra} (the socket batch's argv) as one more entry if given. */
    private Shell runShell(PodRef source, List<ProbeRequest> batch, List<String> extra) {
        List<List<String>> commands = new ArrayList<>(batch.stream().map(r -> r.probe().command()).toList());
        if (!extra.isEmpty()) {
            commands.add(extra);
        }
        Duration budget = batch.stream().map(r -> r.probe().budget()).reduce(probeTimeout,
                (a, b) -> a.compareTo(b) >= 0 ? a : b);
        // starting many probes at once takes a busy node a moment: allow some per probe; the script's watchdog ends
        // what still runs a margin before we give up on the exec, so finished probes still come back
        Duration running = budget.plus(PER_PROBE.multipliedBy(commands.size()));
        Attempt attempt = exec(source, BatchScript.command(commands, running.plusSeconds(1)),
                running.plus(Probe.EXEC_MARGIN));
        ExecResult exec = attempt.exec();
        Map<ProbeKey, ProbeResult> results = new LinkedHashMap<>();
        if (!exec.completed()) {
            batch.forEach(r -> results.put(r.key(), execFailed(source, batch.size(), attempt, r)));
            return new Shell(results, attempt, null);
        }
        Map<Integer, ExecResult> pieces = BatchScript.parse(exec);
        for (int i = 0; i < batch.size(); i++) {
            ProbeRequest r = batch.get(i);
            ExecResult piece = pieces.get(i);
            results.put(r.key(), piece != null ? r.probe().read(piece, r.reproduce()) : noRecord(exec, r));
        }
        return new Shell(results, null,
                pieces.getOrDefault(batch.size(), ExecResult.completed(-1, "", exec.stderr(), exec.duration())));
    }

    private record Attempt(ExecResult exec, int attempts) {
    }

    /** One exec, repeated while it fails in transport (up to the configured retries). */
    private Attempt exec(PodRef source, List<String> script, Duration limit) {
        ExecResult exec;
        int attempts = 0;
        do {
            exec = executor.exec(source, script, limit);
            execs.incrementAndGet();
            attempts++;
        } while (exec.status() == ExecResult.Status.TRANSPORT_ERROR && attempts <= execRetries);
        return new Attempt(exec, attempts);
    }

    private static ProbeResult execFailed(PodRef source, int probes, Attempt attempt, ProbeRequest r) {
        ExecResult exec = attempt.exec();
        return new ProbeResult(Verdict.ERROR, "batch exec of " + probes + " probes on " + source + " " + exec.status()
                + " after " + attempt.attempts() + " attempt(s): " + exec.error(),
                exec.output(), -1, exec.duration(), r.reproduce(), Map.of());
    }

    private static ProbeResult noRecord(ExecResult exec, ProbeRequest r) {
        return new ProbeResult(Verdict.ERROR, "no record for this probe in the batch output (script exit "
                + exec.exitCode() + ", script stderr: " + Text.firstLine(exec.stderr() == null ? "" : exec.stderr()) + ")",
                exec.output(), -1, exec.duration(), r.reproduce(), Map.of());
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
