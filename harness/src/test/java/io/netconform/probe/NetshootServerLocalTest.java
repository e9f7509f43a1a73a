package io.netconform.probe;

import io.netconform.cluster.Images;
import io.netconform.cluster.TestPods;
import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.policy.Port;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The netshoot server pod's own command ({@link TestPods#netshootServer}), run for real on this machine: it must
 * answer the harness's TCP and UDP probes on IPv4 and on IPv6, and an IPv6 listener that cannot start must stop
 * the pod only when the pod has IPv6 to be probed on.
 */
class NetshootServerLocalTest {

    static final PodRef POD = new PodRef("local", "client", "main");
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    final List<Process> started = new ArrayList<>();
    final Map<Process, Path> logs = new HashMap<>();

    /**
     * Every server runs in a session of its own (setsid): the shell may already have exited (that is what one case
     * checks), leaving its listeners orphaned, so they are found by process group, not as descendants.
     */
    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void answersTcpAndUdpOnIpv4AndIpv6Loopback() throws Exception {
        HostTools.assumeOnPath("socat", "nc", "ip", "setsid");
        ExecResult lo6 = new LocalExecutor(null).exec(POD, List.of("ip", "-6", "addr", "show", "lo"), TIMEOUT);
        assumeTrue(lo6.completed() && lo6.stdout().contains("::1/128"),
                "no IPv6 on lo here (`ip -6 addr show lo` printed: " + lo6.output().strip() + ")");
        int port = freePort();
        Process server = start(serverCommand(port));

        LocalExecutor local = new LocalExecutor(null);
        for (String ip : List.of("127.0.0.1", "::1")) {
            for (Port served : List.of(Port.tcp(port), Port.udp(port))) {
                ProbeResult result = await(served + " on " + ip + " answered").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> Probe.port(ip, served, TIMEOUT).run(local, POD), r -> r.verdict() == Verdict.ALLOWED);
                assertThat(result.reproduce()).contains(ip);
            }
        }
        assertThat(server.isAlive()).as("server still running; its output: %s", output(server)).isTrue();
    }

    /*
     * The IPv6 listener is made to fail by holding its port first, in a network namespace of its own (unshare -n), so
     * the only thing that differs between the two cases is whether the pod has a global IPv6 address.
     */
    @Test
    void aFailedIpv6ListenerIsToleratedOnlyWithoutIpv6() throws Exception {
        HostTools.assumeOnPath("socat", "ip", "ss", "unshare", "setsid");
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "unshare -n needs root to make a network namespace");
        int port = freePort();

        Process withoutIpv6 = start(inOwnNetns(port, false));
        await("the server reports its IPv6 TCP listener as not served")
                .atMost(Duration.ofSeconds(10))
                .until(() -> output(withoutIpv6).contains("no IPv6 in this pod: tcp/" + port + " (IPv6) not served"));
        assertThat(withoutIpv6.waitFor(1, TimeUnit.SECONDS))
                .as("a pod without IPv6 keeps serving IPv4; output: %s", output(withoutIpv6)).isFalse();

        Process withIpv6 = start(inOwnNetns(port, true));
        assertThat(withIpv6.waitFor(10, TimeUnit.SECONDS))
                .as("a pod with a global IPv6 address stops when its IPv6 listener dies; output: %s", output(withIpv6))
                .isTrue();
        assertThat(withIpv6.exitValue()).isEqualTo(1);
        assertThat(output(withIpv6)).contains("tcp/" + port + " (IPv6) listener exited")
                .contains("a listener exited, stopping the pod");
    }

    private static List<String> serverCommand(int port) {
        return TestPods.netshootServer(Images.defaults(), "server", List.of(Port.tcp(port), Port.udp(port)))
                .build().getSpec().getContainers().get(0).getCommand();
    }

    private static List<String> inOwnNetns(int port, boolean globalIpv6) {
        String script = serverCommand(port).get(2);
        String setup = "ip link set lo up"
                + (globalIpv6 ? " && ip addr add fd00:77::1/64 dev lo" : "")
                + " && { socat TCP6-LISTEN:" + port + ",ipv6only=1 /dev/null & }"
                + " && until ss -Hltn 'sport = :" + port + "' | grep -q .; do sleep 0.05; done"
                + " && exec sh -c \"$1\"";
        return List.of("unshare", "-n", "sh", "-c", setup, "netns", script);
    }

    private Process start(List<String> command) throws IOException {
        Path log = Files.createTempFile("nc-server", ".log");
        log.toFile().deleteOnExit();
        List<String> inSession = new ArrayList<>(List.of("setsid"));
        inSession.addAll(command);
        Process p = new ProcessBuilder(inSession).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        logs.put(p, log);
        return p;
    }

    private String output(Process p) throws IOException {
        return Files.readString(logs.get(p), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
