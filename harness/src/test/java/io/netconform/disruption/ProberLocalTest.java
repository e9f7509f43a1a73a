package io.netconform.disruption;

import io.netconform.cluster.Images;
import io.netconform.cluster.TestPods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The prober script and the server pod's command, run for real on this machine over loopback: the server is
 * stopped for a while and the outage the prober measures must match the time it was gone.
 */
class ProberLocalTest {

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            kill(p);
        }
    }

    @Test
    void measuresAStoppedServerAsOneOutageOfItsLength() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed here");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed here");
        int port = freePort();
        List<Target> targets = List.of(
                new Target("a", "local", Check.TCP, "127.0.0.1", port, "local"),
                new Target("b", "local", Check.UDP, "127.0.0.1", port, "local"),
                new Target("c", "local", Check.TCP_REUSED, "127.0.0.1", port, "local"));
        Process server = start(serverCommand(port), Files.createTempFile("ncw-server", ".log"));
        List<String> prober = new ArrayList<>(List.of("bash", "-c", Watch.proberScript(), "prober", "200000", "1"));
        targets.forEach(t -> prober.addAll(List.of(t.proberArgs())));
        Path out = Files.createTempFile("ncw-prober", ".log");
        start(prober, out);

        await("the prober reported 10 echoes on its long-lived connection").atMost(Duration.ofSeconds(30))
                .until(() -> count(out, "ncw s c ") >= 10);
        kill(server);
        Instant down = Instant.now();
        long before = count(out, "ncw s a ");
        await("10 more TCP samples while the server is gone").atMost(Duration.ofSeconds(30))
                .until(() -> count(out, "ncw s a ") >= before + 10);
        start(serverCommand(port), Files.createTempFile("ncw-server", ".log"));
        Instant up = Instant.now();
        await("the long-lived connection works again").atMost(Duration.ofSeconds(30))
                .until(() -> count(out, "ncw e c ") >= 2 && lastLine(out, "ncw s c ").endsWith("echo")
                        && count(out, "ncw s a ") >= before + 25);

        ProberFeed feed = new ProberFeed(targets, o -> { }, o -> { });
        Files.readAllLines(out, StandardCharsets.UTF_8).forEach(feed::accept);
        List<PathDisruption> result = feed.finish();
        double gone = Duration.between(down, up).toMillis() / 1000.0;
        String output = Files.readString(out);
        // one interval at either end, the time the restarted server takes to listen, and process start-up on a busy
        // machine: a sample is stamped when its subshell starts, before socat is executed, and at a load of 12-27 on
        // 2 cores that exec took 1-3 s (the lab measurement, with CPU requests on the pods, is the accuracy figure)
        assertThat(result.get(0).outages()).as("TCP connect; prober output:%n%s", output).singleElement()
                .satisfies(o -> {
                    assertThat(o.failure()).isEqualTo(Failure.REFUSED);
                    assertThat(o.seconds()).isCloseTo(gone, within(1.5));
                });
        assertThat(result.get(1).outages()).as("UDP; prober output:%n%s", output).singleElement()
                .satisfies(o -> assertThat(o.seconds()).isCloseTo(gone, within(1.5)));
        assertThat(result.get(2).outages()).as("long-lived TCP; prober output:%n%s", output).singleElement()
                .satisfies(o -> assertThat(o.failure()).isIn(Failure.RESET, Failure.REFUSED));
    }

    private static List<String> serverCommand(int port) {
        return TestPods.netshootServer(Images.defaults(), "server", List.of(
                        io.netconform.policy.Port.tcp(port), io.netconform.policy.Port.udp(port)))
                .build().getSpec().getContainers().get(0).getCommand();
    }

    private Process start(List<String> command, Path log) throws IOException {
        List<String> inSession = new ArrayList<>(List.of("setsid"));
        inSession.addAll(command);
        log.toFile().deleteOnExit();
        Process p = new ProcessBuilder(inSession).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** The whole session: the listeners and probes the shell started outlive it otherwise. */
    private static void kill(Process p) throws Exception {
        new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    private static long count(Path log, String prefix) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static String lastLine(Path log, String prefix) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(prefix)).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
