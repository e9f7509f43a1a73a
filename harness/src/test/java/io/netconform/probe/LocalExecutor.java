package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the "pod" command on this machine, optionally under another shell: proves scripts with real shells. */
record LocalExecutor(String shell) implements Executor {

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        List<String> argv = new ArrayList<>(command);
        if (shell != null && argv.get(0).equals("sh")) {
            argv.set(0, shell);
            if (shell.endsWith("busybox")) {
                argv.add(1, "sh");
            }
        }
        long start = System.nanoTime();
        try {
            File out = File.createTempFile("nc-out", ".txt");
            File err = File.createTempFile("nc-err", ".txt");
            try {
                Process p = new ProcessBuilder(argv).redirectOutput(out).redirectError(err).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return ExecResult.failed(ExecResult.Status.TIMED_OUT, "exceeded " + timeout, "", "",
                            Duration.ofNanos(System.nanoTime() - start));
                }
                return ExecResult.completed(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()),
                        Duration.ofNanos(System.nanoTime() - start));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, e.toString(), "", "",
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
