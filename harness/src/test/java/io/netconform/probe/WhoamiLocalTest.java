package io.netconform.probe;

import io.netconform.cluster.Images;
import io.netconform.exec.PodRef;
import io.netconform.service.Backends;
import io.netconform.service.ClientLoops;
import io.netconform.service.Timeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The whoami server pods run, the whoami probe and the in-pod client loops, for real on 127.0.0.1. */
class WhoamiLocalTest {

    static final PodRef POD = new PodRef("local", "client", "main");
    Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
        }
    }

    private void startServer(String name, int tcp, int udp) throws IOException {
        startServer(Backends.whoami(Images.defaults(), name, tcp, udp).build(), name);
    }

    private void startServer(io.fabric8.kubernetes.api.model.Pod pod, String name) throws IOException {
        // the exact command and literal environment the whoami pods run; the pod name comes from the downward API there
        var container = pod.getSpec().getContainers().get(0);
        ProcessBuilder pb = new ProcessBuilder(container.getCommand()).redirectErrorStream(true);
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> pb.environment().put(e.getName(), e.getValue()));
        pb.environment().put("NC_NAME", name);
        server = pb.start();
    }

    /**
     * 127.0.0.2 stands for a node's InternalIP and 127.0.0.1 for the address the route back to the client prefers (on
     * a node: the CNI bridge). A wildcard UDP listener answers from 127.0.0.1 and the client, connected to 127.0.0.2,
     * drops the answer — the lab's "UDP pod → hostNetwork pod on its own node" timeout; bound, it answers.
     */
    @Test
    void aUdpListenerBoundToTheProbedAddressAnswersFromIt() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed here");
        LocalExecutor local = new LocalExecutor(null);
        int tcp = freeTcpPort();
        int udp = freeUdpPort();
        startServer("wildcard", tcp, udp);
        await("the whoami TCP listener answers").atMost(Duration.ofSeconds(10))
                .until(() -> WhoamiProbe.tcp("127.0.0.1", tcp, Duration.ofSeconds(1)).run(local, POD),
                        r -> r.verdict() == Verdict.ALLOWED);
        ProbeResult fromElsewhere = WhoamiProbe.udp("127.0.0.2", udp, Duration.ofSeconds(1)).run(local, POD);
        assertThat(fromElsewhere.verdict()).as("wildcard listener, client connected to 127.0.0.2: %s", fromElsewhere.output())
                .isEqualTo(Verdict.TIMEOUT);
        stopServer();

        int tcp2 = freeTcpPort();
        int udp2 = freeUdpPort();
        startServer(Backends.answeringUdpFrom(Backends.whoami(Images.defaults(), "bound", tcp2, udp2), "127.0.0.2").build(),
                "bound");
        await("the whoami TCP listener answers").atMost(Duration.ofSeconds(10))
                .until(() -> WhoamiProbe.tcp("127.0.0.1", tcp2, Duration.ofSeconds(1)).run(local, POD),
                        r -> r.verdict() == Verdict.ALLOWED);
        ProbeResult bound = WhoamiProbe.udp("127.0.0.2", udp2, Duration.ofSeconds(1)).run(local, POD);
        assertThat(bound.verdict()).as(bound.output()).isEqualTo(Verdict.ALLOWED);
        assertThat(WhoamiProbe.answer(bound.output())).contains(new WhoamiProbe.Answer("bound", "127.0.0.1"));
    }

    @Test
    void answersWithItsNameAndTheClientAddressOverTcpAndUdp() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed here");
        int tcp = freeTcpPort();
        int udp = freeUdpPort();
        startServer("backend-a", tcp, udp);
        LocalExecutor local = new LocalExecutor(null);

        ProbeResult overTcp = await("the whoami TCP listener answers").atMost(Duration.ofSeconds(10))
                .until(() -> WhoamiProbe.tcp("127.0.0.1", tcp, Duration.ofSeconds(1)).run(local, POD),
                        r -> r.verdict() == Verdict.ALLOWED);
        ProbeResult overUdp = WhoamiProbe.udpFrom(freeUdpPort(), "127.0.0.1", udp, Duration.ofSeconds(1)).run(local, POD);
        ProbeResult closed = WhoamiProbe.tcp("127.0.0.1", freeTcpPort(), Duration.ofSeconds(1)).run(local, POD);

        assertThat(WhoamiProbe.answer(overTcp.output())).contains(new WhoamiProbe.Answer("backend-a", "127.0.0.1"));
        assertThat(overUdp.verdict()).as(overUdp.output()).isEqualTo(Verdict.ALLOWED);
        assertThat(WhoamiProbe.answer(overUdp.output())).contains(new WhoamiProbe.Answer("backend-a", "127.0.0.1"));
        assertThat(closed.verdict()).as(closed.detail()).isEqualTo(Verdict.REFUSED);
    }

    @Test
    void clientLoopsSeeWhenAServerStartsAnswering() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")) && Files.isExecutable(Path.of("/bin/bash")),
                "socat or bash is not installed here");
        int tcp = freeTcpPort();
        int udp = freeUdpPort();
        LocalExecutor local = new LocalExecutor(null);
        Map<PodRef, Timeline> seen;
        Instant zero;
        try (ClientLoops loops = ClientLoops.start(local, List.of(POD), p -> WhoamiProbe.tcp("127.0.0.1", tcp,
                Duration.ofSeconds(1)), 20, "", "whoami late ")) {
            loops.awaitRunning(Duration.ofSeconds(10));
            zero = Instant.now();
            startServer("late", tcp, udp);
            seen = loops.finish();
        }

        Timeline t = seen.get(POD);
        assertThat(t.attempts()).isNotEmpty();
        assertThat(t.attempts().get(0).at()).as("the loop ran before the server started").isBefore(zero);
        // an attempt is timed by its start: one that began just before the server (up to its 1 s timeout) and was
        // answered by it counts (CI once saw the only answer at -0.013 s, the loops ending right after the server start)
        Timeline.Attempt first = t.first(Instant.EPOCH, a -> a.answeredBy("late")).orElseThrow(() ->
                new AssertionError("never answered:\n" + t.describe(zero)));
        assertThat(Duration.between(zero, first.at())).isBetween(Duration.ofSeconds(-1), Duration.ofSeconds(5));
        assertThat(t.failures(Instant.EPOCH)).as("refused attempts before the server started").isNotEmpty();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
