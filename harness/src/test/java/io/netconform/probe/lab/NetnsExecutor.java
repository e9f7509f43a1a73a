package io.netconform.probe.lab;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a probe command inside the network namespace of one probe-lab pod, with {@code ip netns exec},
 * the way a pod exec would run it inside the pod: same command line, real kernel, real packets.
 *
 * <p>{@link PodRef#namespace()} must name the lab (so a probe aimed at another lab fails loudly
 * instead of running here) and {@link PodRef#pod()} is the pod's logical name, e.g. {@code pa}.
 * The container is ignored: a lab pod has exactly one.
 */
public final class NetnsExecutor implements Executor {

    private final String lab;
    private final Map<String, String> netnsByPod;

    public NetnsExecutor(String lab, Map<String, String> netnsByPod) {
        this.lab = lab;
        this.netnsByPod = Map.copyOf(netnsByPod);
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        String netns = netnsByPod.get(pod.pod());
        if (!lab.equals(pod.namespace()) || netns == null) {
            return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR,
                    "no pod " + pod + " in probe lab " + lab + " (pods: "
                            + netnsByPod.keySet().stream().sorted().map(p -> lab + "/" + p).collect(Collectors.joining(", "))
                            + ")", "", "", Duration.ZERO);
        }
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        argv.addAll(command);
        ExecResult result = run(argv, timeout);
        if (result.completed() && didNotRun(result)) {
            // ip netns exec reports its own failures through the exit code the command would have used:
            // a vanished namespace or a missing binary must not be read as a network observation.
            return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR,
                    result.stderr().strip() + " (exit " + result.exitCode() + "): " + reproduce(pod, command),
                    result.stdout(), result.stderr(), result.duration());
        }
        return result;
    }

    /** The shell line that repeats {@code command} in {@code pod}'s namespace while the lab is up. */
    public String reproduce(PodRef pod, List<String> command) {
        return "ip netns exec " + netnsByPod.getOrDefault(pod.pod(), "<no netns for " + pod + ">") + " "
                + command.stream().map(PodRef::shellQuote).collect(Collectors.joining(" "));
    }

    private static boolean didNotRun(ExecResult result) {
        String err = result.stderr();
        return (result.exitCode() == 255 && err.startsWith("Cannot open network namespace"))
                || (result.exitCode() == 1 && err.startsWith("exec of \"") && result.stdout().isEmpty());
    }

    /**
     * Runs {@code argv} on this machine. Output goes to files rather than pipes so a child that outlives
     * its parent (and keeps the pipe open) can never block the read after a timeout.
     */
    static ExecResult run(List<String> argv, Duration timeout) {
        long start = System.nanoTime();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("netlab-out", ".txt");
            err = Files.createTempFile("netlab-err", ".txt");
            Process process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Processes.destroyTree(process.toHandle());
                Thread.currentThread().interrupt();
                return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, "interrupted while running " + line(argv),
                        read(out), read(err), elapsed(start));
            }
            if (!finished) {
                Processes.destroyTree(process.toHandle());
                return ExecResult.failed(ExecResult.Status.TIMED_OUT,
                        "no exit within " + timeout.toMillis() + " ms: " + line(argv), read(out), read(err), elapsed(start));
            }
            return ExecResult.completed(process.exitValue(), read(out), read(err), elapsed(start));
        } catch (IOException e) {
            return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, "could not run " + line(argv) + ": " + e.getMessage(),
                    "", "", elapsed(start));
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    static String line(List<String> argv) {
        return argv.stream().map(PodRef::shellQuote).collect(Collectors.joining(" "));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<could not read " + file + ": " + e.getMessage() + ">";
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the exec result is what matters
            }
        }
    }
}
