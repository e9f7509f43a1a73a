package io.netconform.cli;

import io.netconform.cluster.ClusterException;
import io.netconform.cluster.PodStartException;
import io.netconform.disruption.Watch;
import io.netconform.disruption.WatchResult;
import io.netconform.junit.Run;
import io.netconform.junit.RunConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Measures, per path, how long the pod network is down while something (an upgrade) happens to the cluster. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure disruption in seconds per path while the cluster changes: start this BEFORE an upgrade.",
                "",
                "Probe pods on the sampled node pairs measure, every --interval: pod → pod on the same node and across "
                        + "nodes (ICMP, new TCP connection, UDP request/response, one long-lived TCP connection), pod → "
                        + "ClusterIP Service (HTTP), pod → cluster DNS, and node → pod where host networking is admitted. "
                        + "Outages are printed as they open and close. The watch stops at Ctrl-C, after --duration, or "
                        + "--settle after the wrapped COMMAND exits.",
                "",
                "Writes reports/summary.json (disruption[]), reports/junit (one test per path and check), "
                        + "reports/allure-results with a timeline chart per path, and reports/watch/*.png.",
                "",
                "Exit 0: no outage longer than --max-outage; 1: a longer one, a path that never worked, or the wrapped "
                        + "command failed; 2: could not run (bad arguments, no cluster, pods that cannot start)."},
        footer = {"", "Examples:",
                "  netconform watch --duration 10m",
                "  netconform watch --max-outage 2s -- ./upgrade-cni.sh v3.28.1",
                "  netconform watch --interval 100ms --settle 1m -- kubectl rollout status ds/cilium -n kube-system"})
final class WatchCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ImageOptions images = new ImageOptions();

    @Option(names = "--interval", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "200ms", description = "Time between two samples of one path and check (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--sample-timeout", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "1s", description = "How long one sample waits for an answer; whole seconds (default ${DEFAULT-VALUE}).")
    Duration sampleTimeout;

    @Option(names = "--duration", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            description = "Stop after this long (default: at Ctrl-C, or --settle after the wrapped command).")
    Duration duration;

    @Option(names = "--settle", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "30s", description = "Keep measuring this long after the wrapped command exits (default ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--max-outage", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "5s", description = "Exit 1 when any path's longest outage is longer (default ${DEFAULT-VALUE}; see README).")
    Duration maxOutage;

    @Option(names = "--no-host-network", negatable = false,
            description = "Do not measure node → pod (it needs a hostNetwork pod, which some admission policies refuse).")
    boolean noHostNetwork;

    @Option(names = "--max-node-pairs", paramLabel = "N", defaultValue = "8",
            description = "Cross-node pairs sampled on large clusters (default ${DEFAULT-VALUE}).")
    int maxNodePairs;

    @Option(names = "--pod-ready-timeout", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "3m", description = "How long the probe pods may take to start (default ${DEFAULT-VALUE}).")
    Duration podReadyTimeout;

    @Option(names = "--namespace-ttl", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            defaultValue = "2h", description = "Expiry written on the namespace; raise it for a long watch (default ${DEFAULT-VALUE}).")
    Duration namespaceTtl;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports", description = "Where reports go (default ${DEFAULT-VALUE}).")
    Path reports;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "After --: the operation to watch, e.g. -- ./upgrade-cni.sh. Its exit code is reported.")
    List<String> command = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private Watch watch;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunConfig config;
        Watch.Settings settings;
        try {
            validate();
            config = new RunConfig(cluster.kubeconfig, cluster.context, cluster.embedded, images.imageRegistry,
                    images.overrides(), images.pullSecrets, null, null, podReadyTimeout, namespaceTtl, maxNodePairs,
                    null, null, false, null, reports, null);
            settings = new Watch.Settings(interval, (int) sampleTimeout.toSeconds(), !noHostNetwork, podReadyTimeout,
                    reports.resolve("watch").resolve("prober-output"));
        } catch (IllegalArgumentException e) {
            err.println("netconform watch: " + e.getMessage());
            return 2;
        }
        WatchReports reportsOut;
        try {
            reportsOut = WatchReports.prepare(reports);
        } catch (IOException | RuntimeException e) {
            err.println("netconform watch: cannot prepare " + reports + ": " + e.getMessage());
            return 2;
        }
        Run run;
        try {
            run = Run.start(config, line -> say(out, line));
        } catch (ClusterException | IllegalArgumentException | IllegalStateException e) {
            err.println("netconform watch: " + e.getMessage());
            return 2;
        }
        try (run) {
            Watch watch;
            try {
                watch = Watch.start(run.cluster().client(), run.namespaces(), run.placement(), run.images(), settings,
                        line -> say(out, line));
            } catch (PodStartException | ClusterException e) {
                err.println("netconform watch: could not start the probe pods: " + e.getMessage());
                return 2;
            }
            java.util.Map<String, Object> previous = onCtrlC(out);
            Integer commandExit;
            try {
                say(out, String.format("watching %d paths × checks every %d ms from namespace %s%s",
                        watch.targets().size(), interval.toMillis(), watch.namespace(),
                        command.isEmpty() ? (duration == null ? " until Ctrl-C" : " for " + duration.toSeconds() + " s")
                                : "; starting: " + String.join(" ", command)));
                commandExit = measure(out, watch);
            } finally {
                restoreCtrlC(previous);
            }
            WatchResult result = watch.stop();
            return reportsOut.finish(run, result, maxOutage, String.join(" ", command), commandExit, out);
        }
    }

    private void validate() {
        if (sampleTimeout.toMillis() % 1000 != 0 || sampleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("--sample-timeout must be whole seconds (ping and dig take no less), got "
                    + sampleTimeout.toMillis() + "ms");
        }
        if (duration != null && !command.isEmpty()) {
            throw new IllegalArgumentException("--duration and a wrapped command exclude each other: the command's end "
                    + "(plus --settle) ends the watch");
        }
        for (Duration d : new Duration[]{duration, settle, maxOutage}) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative, got " + d);
            }
        }
    }

    /** Waits for the end of the watch; returns the wrapped command's exit code (null without one, or interrupted). */
    private Integer measure(PrintWriter out, Watch watch) {
        this.watch = watch;
        if (command.isEmpty()) {
            awaitStop(duration == null ? null : Instant.now().plus(duration), out);
            return null;
        }
        Process process;
        try {
            process = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            say(out, "the command could not start: " + e.getMessage() + "; measuring --settle anyway");
            awaitStop(Instant.now().plus(settle), out);
            return 127;
        }
        Integer exit = null;
        while (interrupted.getCount() > 0) {
            try {
                if (process.waitFor(1, TimeUnit.SECONDS)) {
                    exit = process.exitValue();
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (exit == null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    say(out, "the command did not stop within 10 s of SIGTERM: killed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            say(out, "interrupted: the command was stopped before it finished");
            return null;
        }
        say(out, "the command exited " + exit + "; measuring " + settle.toSeconds() + " s more (--settle)");
        awaitStop(Instant.now().plus(settle), out);
        return exit;
    }

    private void awaitStop(Instant until, PrintWriter out) {
        try {
            while (until == null || Instant.now().isBefore(until)) {
                long waitMs = until == null ? 60_000 : Math.min(60_000, Duration.between(Instant.now(), until).toMillis());
                if (interrupted.await(Math.max(1, waitMs), TimeUnit.MILLISECONDS)) {
                    return;
                }
                say(out, "watching: " + watch.status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The signals that end a watch like Ctrl-C: a CI job's timeout or a closed SSH session must not orphan the command. */
    static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP");

    /**
     * The first Ctrl-C (or TERM, or HUP) ends the watch, stops the wrapped command (TERM: we started it, and an upgrade
     * script left running with nobody measuring it is worse than a stopped one the operator knows about) and still
     * writes the reports; a second one exits at once (the namespaces go with the shutdown hook, `netconform gc`
     * removes what a kill -9 leaves).
     */
    @SuppressWarnings("removal")
    private java.util.Map<String, Object> onCtrlC(PrintWriter out) {
        java.util.Map<String, Object> previous = new java.util.LinkedHashMap<>();
        for (String name : STOP_SIGNALS) {
            try {
                previous.put(name, sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (interrupted.getCount() == 0) {
                        System.err.println("netconform watch: second SIG" + name + ": exiting without reports");
                        System.exit(128 + signal.getNumber());
                    }
                    say(out, "SIG" + name + ": stopping" + (command.isEmpty() ? "" : " (and the command)")
                            + "; writing reports and deleting the probe pods (again to skip the reports)");
                    interrupted.countDown();
                }));
            } catch (IllegalArgumentException e) {
                // not on this platform or JVM: the shutdown hook still deletes the namespaces
            }
        }
        return previous;
    }

    @SuppressWarnings("removal")
    private static void restoreCtrlC(java.util.Map<String, Object> previous) {
        previous.forEach((name, handler) -> {
            if (handler instanceof sun.misc.SignalHandler h) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), h);
            }
        });
    }

    private static void say(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
