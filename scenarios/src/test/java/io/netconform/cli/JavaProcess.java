package io.netconform.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code netconform} in its own JVM, the way a user starts it, so a test controls the environment it sees
 * (HOME, KUBECONFIG, DOCKER_HOST) and observes exactly what the user would: exit code, console, wall time.
 *
 * <p>It runs the packaged jar when one is at least as new as the compiled classes (after {@code mvn package}),
 * otherwise the test classpath: {@code mvn test} runs before {@code package}, so a jar may be absent or stale.
 */
record JavaProcess(List<String> command, int exitCode, String out, String err, Duration elapsed) {

    static final Path JAR = Path.of("target", "netconform.jar");

    static JavaProcess netconform(Path workDir, Consumer<Map<String, String>> environment, Duration limit,
                                  String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder().directory(workDir.toFile());
        environment.accept(builder.environment());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Java takes user.home from the password database, not $HOME: pass it on so ~ is what the test chose
        String home = builder.environment().get("HOME");
        if (home != null) {
            command.add("-Duser.home=" + home);
        }
        command.addAll(launcher());
        command.addAll(List.of(args));
        builder.command(command);
        Path out = Files.createTempFile(workDir, "netconform", ".out");
        Path err = Files.createTempFile(workDir, "netconform", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + "\nstill running after " + limit + "; output so far:\n"
                    + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new JavaProcess(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), elapsed);
    }

    static boolean usesJar() {
        Path classes = Path.of("target", "classes", "io", "netconform", "cli", "Netconform.class");
        try {
            return Files.isRegularFile(JAR) && Files.isRegularFile(classes)
                    && Files.getLastModifiedTime(JAR).compareTo(Files.getLastModifiedTime(classes)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> launcher() {
        if (usesJar()) {
            return List.of("-jar", JAR.toAbsolutePath().toString());
        }
        // absolute entries: the process runs in the test's own working directory
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        return List.of("-cp", classpath, Netconform.class.getName());
    }

    String output() {
        return out + err;
    }

    /** What a failing assertion shows: the command, the exit code, the time and the whole console. */
    String describe() {
        return String.join(" ", command) + "\nexit " + exitCode + " after " + elapsed.toMillis() + " ms\nstdout:\n"
                + out + "\nstderr:\n" + err;
    }
}
