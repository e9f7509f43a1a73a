package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.ExecSession;
import io.netconform.exec.Executor;
import io.netconform.exec.LineQueue;
import io.netconform.exec.PodRef;
import io.netconform.policy.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Resident agents run for real: the agent is this machine's perl, its "pod" a local process fed on stdin. */
class SocketAgentsTest {

    static final Duration T = Duration.ofSeconds(1);
    static final PodRef POD = new PodRef("local", "agent", "main");

    private ServerSocket tcp;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void server() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "perl is not installed here");
        tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        processes.forEach(Process::destroyForcibly);
        if (tcp != null) {
            tcp.close();
        }
    }

    @Test
    void roundsGoThroughOneAgentPerPod() throws IOException {
        LocalSessions local = new LocalSessions(null);
        int closed = freePort();
        List<SocketCheck> checks = List.of(new SocketCheck(Protocol.TCP, "127.0.0.1", tcp.getLocalPort(), T, "-"),
                new SocketCheck(Protocol.TCP, "127.0.0.1", closed, T, "-"));
        try (SocketAgents agents = new SocketAgents(local)) {
            for (int round = 0; round < 3; round++) {
                ExecResult output = agents.run(POD, checks, Duration.ofSeconds(2)).orElseThrow();
                Map<Integer, SocketBatch.Outcome> outcomes = SocketBatch.parse(output, checks);
                assertThat(outcomes.get(0).verdict()).isEqualTo(Verdict.ALLOWED);
                assertThat(outcomes.get(1).verdict()).isEqualTo(Verdict.REFUSED);
            }
            assertThat(agents.batches()).isEqualTo(3);
        }
        assertThat(local.opened.get()).isEqualTo(1);
    }

    @Test
    void aPodWithoutPerlOrWithADeadAgentIsGivenBackToExecs() throws IOException {
        Path bin = Files.createTempDirectory("no-perl");
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("/bin/sh"));
        LocalSessions noPerl = new LocalSessions(bin);
        List<SocketCheck> checks = List.of(new SocketCheck(Protocol.TCP, "127.0.0.1", tcp.getLocalPort(), T, "-"));
        try (SocketAgents agents = new SocketAgents(noPerl)) {
            assertThat(agents.run(POD, checks, Duration.ofSeconds(2))).isEmpty();
            assertThat(agents.run(POD, checks, Duration.ofSeconds(2))).isEmpty();
            assertThat(noPerl.opened.get()).as("not reopened after it failed").isEqualTo(1);
        }

        LocalSessions local = new LocalSessions(null);
        try (SocketAgents agents = new SocketAgents(local)) {
            assertThat(agents.run(POD, checks, Duration.ofSeconds(2))).isPresent();
            processes.forEach(Process::destroyForcibly);
            assertThat(agents.run(POD, checks, Duration.ofSeconds(2))).isEmpty();
            assertThat(agents.batches()).isEqualTo(1);
        }
    }

    /** Opens the command as a local process (PATH = {@code path} when given); stdin for requests, stdout read by line. */
    private final class LocalSessions implements Executor {
        final AtomicInteger opened = new AtomicInteger();
        final Path path;

        LocalSessions(Path path) {
            this.path = path;
        }

        @Override
        public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
            throw new AssertionError("an agent run must not exec: " + command);
        }

        @Override
        public Optional<ExecSession> open(PodRef pod, List<String> command) {
            opened.incrementAndGet();
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
                if (path != null) {
                    builder.environment().put("PATH", path.toString());
                }
                Process p = builder.start();
                processes.add(p);
                LineQueue out = new LineQueue();
                Thread reader = new Thread(() -> {
                    try (InputStream in = p.getInputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the process went away: the queue ends below
                    }
                    out.end();
                });
                reader.setDaemon(true);
                reader.start();
                return Optional.of(new ExecSession() {
                    @Override
                    public Optional<String> request(String line, String end, Duration timeout) {
                        try {
                            OutputStream in = p.getOutputStream();
                            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                            in.flush();
                            return out.readUntil(end, timeout);
                        } catch (IOException | InterruptedException e) {
                            return Optional.empty();
                        }
                    }

                    @Override
                    public boolean open() {
                        return p.isAlive();
                    }

                    @Override
                    public void close() {
                        p.destroy();
                    }
                });
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
