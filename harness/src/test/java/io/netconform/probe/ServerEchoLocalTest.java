package io.netconform.probe;

import io.netconform.exec.PodRef;
import io.netconform.cluster.Images;
import io.netconform.cluster.TestPods;
import io.netconform.policy.Port;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The echo server and the socat probes for real, on 127.0.0.1 only. */
class ServerEchoLocalTest {

    static final PodRef POD = new PodRef("local", "client", "main");
    Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
        }
    }

    @Test
    void udpEchoTellsAnsweredFromRefusedAndSctpFailsByName() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed here");
        int echo = freeUdpPort();
        int closed = freeUdpPort();
        // the exact command the netshoot server pods run
        List<String> command = TestPods.netshootServer(Images.defaults(), "echo",
                List.of(Port.udp(echo), Port.tcp(echo), Port.sctp(echo))).build().getSpec().getContainers().get(0).getCommand();
        server = new ProcessBuilder(command)
                .redirectErrorStream(true).start();
        BatchProber prober = new BatchProber(new LocalExecutor(null), Duration.ofSeconds(1));
        List<ProbeRequest> probes = List.of(
                new ProbeRequest("udp-open", POD, Probe.udpEcho("127.0.0.1", echo, Duration.ofSeconds(1)), "echo"),
                new ProbeRequest("udp-closed", POD, Probe.udpEcho("127.0.0.1", closed, Duration.ofSeconds(1)), "nothing"),
                new ProbeRequest("sctp", POD, Probe.sctpEcho("127.0.0.1", echo, Duration.ofSeconds(1)), "echo"));

        Map<ProbeKey, ProbeResult> results = await("the UDP echo listener answers").atMost(Duration.ofSeconds(10))
                .until(() -> prober.run(probes), r -> r.get(new ProbeKey.Named("udp-open")).verdict() == Verdict.ALLOWED);

        ProbeResult closedPort = results.get(new ProbeKey.Named("udp-closed"));
        assertThat(closedPort.verdict()).as(closedPort.detail()).isEqualTo(Verdict.REFUSED);
        ProbeResult sctp = results.get(new ProbeKey.Named("sctp"));
        // machines differ: with the sctp module the echo works, without it the failure is named, never a verdict
        if (sctp.verdict() == Verdict.ERROR) {
            assertThat(sctp.detail()).contains("SCTP not supported by the kernel/CNI");
        } else {
            assertThat(sctp.verdict()).as(sctp.detail()).isEqualTo(Verdict.ALLOWED);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
