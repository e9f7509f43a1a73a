package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import io.netconform.policy.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The socket batch's perl script, run by this machine's perl against servers this test opens on loopback (the netns
 * probe lab compares it with nc and socat on drops and rejects: ProbesInLabTest.Batch).
 */
class SocketBatchTest {

    static final Duration T = Duration.ofSeconds(1);
    static final PodRef POD = new PodRef("local", "perl", "main");

    private ServerSocket tcp;
    private DatagramSocket echo;
    private DatagramSocket silent;
    private Thread echoing;

    @BeforeEach
    void servers() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "perl is not installed here");
        InetAddress lo = InetAddress.getLoopbackAddress();
        tcp = new ServerSocket(0, 50, lo);
        echo = new DatagramSocket(0, lo);
        silent = new DatagramSocket(0, lo);
        echoing = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!echo.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        echoing.start();
    }

    @AfterEach
    void close() throws Exception {
        if (tcp != null) {
            tcp.close();
            echo.close();
            silent.close();
            echoing.join(2000);
        }
    }

    @Test
    void everyOutcomeComesBackFromOneProcess() throws IOException {
        int closed = freePort();
        List<SocketCheck> checks = List.of(
                new SocketCheck(Protocol.TCP, "127.0.0.1", tcp.getLocalPort(), T, "-"),
                new SocketCheck(Protocol.TCP, "127.0.0.1", closed, T, "-"),
                new SocketCheck(Protocol.UDP, "127.0.0.1", echo.getLocalPort(), T, "nc-1234"),
                new SocketCheck(Protocol.UDP, "127.0.0.1", silent.getLocalPort(), T, "nc-5678"),
                new SocketCheck(Protocol.UDP, "127.0.0.1", closed, T, "nc-9abc"),
                new SocketCheck(Protocol.TCP, "1.2.3.x", 80, T, "-"));

        ExecResult exec = new LocalExecutor(null).exec(POD, SocketBatch.command(checks, Duration.ofSeconds(3)),
                Duration.ofSeconds(10));
        Map<Integer, SocketBatch.Outcome> outcomes = SocketBatch.parse(exec, checks);

        assertThat(exec.exitCode()).as(exec.output()).isZero();
        assertThat(outcomes).hasSize(checks.size());
        assertThat(outcomes.get(0).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(outcomes.get(0).detail()).isEqualTo("tcp connect: connected");
        assertThat(outcomes.get(1).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(outcomes.get(1).detail()).isEqualTo("tcp connect: Connection refused");
        assertThat(outcomes.get(2).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(outcomes.get(2).detail()).isEqualTo("udp echo: token echoed back");
        // a bound socket that never answers: no ICMP comes back, the echo does not either
        assertThat(outcomes.get(3).verdict()).isEqualTo(Verdict.TIMEOUT);
        assertThat(outcomes.get(3).elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        // nothing bound: the kernel's port unreachable reaches the connected UDP socket
        assertThat(outcomes.get(4).verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(outcomes.get(5).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(outcomes.get(5).detail()).contains("bad address 1.2.3.x");
    }

    @Test
    void aPodWithoutPerlSaysSoWithItsOwnExitCode() throws Exception {
        // a PATH holding only sh: `command -v perl` fails as it does in an image without perl
        Path bin = Files.createTempDirectory("no-perl");
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("/bin/sh"));
        Executor noPerl = (pod, command, timeout) -> {
            List<String> argv = new ArrayList<>(List.of("/usr/bin/env", "PATH=" + bin));
            argv.addAll(command);
            return new LocalExecutor(null).exec(pod, argv, timeout);
        };
        List<SocketCheck> checks = List.of(new SocketCheck(Protocol.TCP, "127.0.0.1", tcp.getLocalPort(), T, "-"));

        ExecResult exec = noPerl.exec(POD, SocketBatch.command(checks, Duration.ofSeconds(3)), Duration.ofSeconds(10));

        assertThat(exec.exitCode()).as(exec.output()).isEqualTo(SocketBatch.NO_PERL);
        assertThat(SocketBatch.parse(exec, checks)).isEmpty();
    }

    @Test
    void theScriptEndsItselfAtItsLimit() {
        // one probe whose timeout is past the script's own limit: the alarm ends the process (exit 98) at the limit
        List<SocketCheck> checks = List.of(new SocketCheck(Protocol.UDP, "127.0.0.1", silent.getLocalPort(),
                Duration.ofSeconds(30), "nc-1"));
        long t0 = System.nanoTime();
        ExecResult exec = new LocalExecutor(null).exec(POD, SocketBatch.command(checks, Duration.ofSeconds(1)),
                Duration.ofSeconds(20));
        assertThat(exec.exitCode()).isEqualTo(98);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
