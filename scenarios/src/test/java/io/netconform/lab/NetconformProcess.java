package io.netconform.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The netconform jar run the way a user runs it: a separate JVM, arguments, an exit code and console output.
 * End-to-end tests assert on this and on the files the run wrote, never on the harness's internals.
 */
final class NetconformProcess {

    private final Process process;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private final List<String> args;

    private NetconformProcess(Process process, Path log, List<String> args) {
        this.process = process;
        this.log = log;
        this.args = args;
    }

    static NetconformProcess start(Path workDir, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("netconform.jar", "target/netconform.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar at " + jar + ": run `mvn package -DskipTests` first (make e2e-lab does)");
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("console.log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new NetconformProcess(p, log, List.of(args));
    }

    /** Waits for the exit code; a run that outlives {@code limit} is killed and reported with its output so far. */
    int await(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("netconform " + args + " still running after " + limit + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C. */
    void interrupt() {
        process.destroy();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
        return "netconform " + String.join(" ", args);
    }
}
