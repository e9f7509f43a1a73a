package io.netconform.probe.lab;

import io.netconform.exec.ExecResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.netconform.probe.lab.ProbeLab.PA;
import static io.netconform.probe.lab.ProbeLab.PB_IP;
import static org.assertj.core.api.Assertions.assertThat;

/** A lab leaves nothing behind: not after close, not after JVM exit, not even after the JVM is killed. */
@Tag("netlab")
@RequiresProbeLab
class ProbeLabLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void twoLabsRunSideBySideAndEachRemovesOnlyItsOwn() throws Exception {
        CompletableFuture<ProbeLab> startA = CompletableFuture.supplyAsync(ProbeLab::start);
        CompletableFuture<ProbeLab> startB = CompletableFuture.supplyAsync(ProbeLab::start);
        try (ProbeLab a = startA.get(60, TimeUnit.SECONDS); ProbeLab b = startB.get(60, TimeUnit.SECONDS)) {
            assertThat(a.name()).isNotEqualTo(b.name());
            assertServes(a);
            assertServes(b);
            // A probe a test left running must not keep the namespace (and its addresses) alive.
            ExecResult stray = a.executor().exec(a.pod(PA), List.of("sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!"), TIMEOUT);
            long strayPid = Long.parseLong(stray.stdout().strip());

            a.close();

            System.out.printf("probe lab set-up %d ms and %d ms (concurrently), teardown %d ms%n",
                    a.setupTime().toMillis(), b.setupTime().toMillis(), a.teardownTime().toMillis());
            assertGone(a.namespaces().values(), a.serverPids(), a.workDir());
            assertThat(Processes.isRunning(strayPid)).as("stray probe pid %d still running", strayPid).isFalse();
            assertServes(b);
            a.close();
        }
    }

    @Test
    void jvmExitRemovesTheLabThroughTheShutdownHook() throws Exception {
        Process child = childJvm("exit");
        String[] ready = awaitReady(child);

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM exits").isTrue();

        assertGone(netnsOf(ready[1]), pids(ready[2]), Path.of(ready[3]));
    }

    @Test
    void labOfAKilledJvmIsSweptByTheNextStart() throws Exception {
        Process child = childJvm("hang");
        String[] ready = awaitReady(child);
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.exists(Path.of("/run/netns", ready[1] + "-pb")))
                .as("SIGKILL skips the shutdown hook, so the lab is still there before the sweep").isTrue();

        ProbeLab.start().close();

        assertGone(netnsOf(ready[1]), pids(ready[2]), Path.of(ready[3]));
    }

    private static void assertServes(ProbeLab lab) {
        ExecResult curl = lab.executor().exec(lab.pod(PA),
                List.of("curl", "-sS", "-m", "1", "-o", "/dev/null", "-w", "%{http_code}", "http://" + PB_IP + "/"), TIMEOUT);
        assertThat(curl.stdout()).as("%s: curl from pa to pb: %s%n%s", lab, curl, curl.output()).isEqualTo("200");
    }

    private static void assertGone(Collection<String> namespaces, List<Long> pids, Path workDir) {
        assertThat(workDir).doesNotExist();
        ExecResult list = NetnsExecutor.run(List.of("ip", "netns", "list"), TIMEOUT);
        assertThat(list.stdout().lines().map(l -> l.split(" ")[0]).toList())
                .as("ip netns list after the lab is removed").doesNotContainAnyElementsOf(namespaces);
        namespaces.forEach(ns -> assertThat(Path.of("/etc/netns", ns)).doesNotExist());
        assertThat(pids).as("server pids").isNotEmpty()
                .allSatisfy(pid -> assertThat(Processes.isRunning(pid)).as("server pid %d still running", pid).isFalse());
    }

    private static Process childJvm(String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LabInChildJvm.class.getName(), mode)
                .redirectErrorStream(true)
                .start();
    }

    /** Reads the child's output up to its ready line: {@code LAB-READY <lab name> <pid,pid,...> <work dir>}. */
    private static String[] awaitReady(Process child) throws IOException {
        StringBuilder seen = new StringBuilder();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(LabInChildJvm.READY + " ")) {
                // keep draining so the child never blocks on a full pipe
                CompletableFuture.runAsync(() -> out.lines().forEach(l -> { }));
                return line.split(" ");
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child JVM ended without starting a lab; its output:\n" + seen);
    }

    private static List<String> netnsOf(String lab) {
        return List.of("n1", "n2", "pa", "pc", "pb", "dns").stream().map(role -> lab + "-" + role).toList();
    }

    private static List<Long> pids(String csv) {
        return Arrays.stream(csv.split(",")).map(Long::parseLong).toList();
    }
}
