package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.netconform.policy.Port;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class TestPodsTest {

    private static final Images IMAGES = Images.defaults().withPullSecrets(List.of("mirror-creds"));

    private static Container probe(Pod pod) {
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        return pod.getSpec().getContainers().get(0);
    }

    @Test
    void everyPodSharesTheCommonShape() {
        for (Pod pod : List.of(TestPods.netshootClient(IMAGES, "c").build(), TestPods.nginx(IMAGES, "n").build(),
                TestPods.busybox(IMAGES, "b").build(), TestPods.netshootServer(IMAGES, "s", List.of(Port.tcp(80))).build())) {
            assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "netconform");
            assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isZero();
            assertThat(pod.getSpec().getImagePullSecrets()).extracting("name").containsExactly("mirror-creds");
            Container probe = probe(pod);
            assertThat(probe.getName()).isEqualTo("probe");
            assertThat(probe.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_RAW");
            assertThat(probe.getSecurityContext().getCapabilities().getDrop()).isNullOrEmpty();
            assertThat(probe.getSecurityContext().getPrivileged()).isNull();
        }
    }

    @Test
    void imagesAndCommandsPerKind() {
        Images lab = Images.defaults().with("netshoot", "k8s.lab/netshoot:lab").with("nginx", "k8s.lab/nginx:lab")
                .with("busybox", "k8s.lab/busybox:lab");

        Container client = probe(TestPods.netshootClient(lab, "c").build());
        Container nginx = probe(TestPods.nginx(lab, "n").build());
        Container busybox = probe(TestPods.busybox(lab, "b").build());

        assertThat(client.getImage()).isEqualTo("k8s.lab/netshoot:lab");
        assertThat(client.getCommand()).containsExactly("sh", "-c", "trap 'exit 0' TERM INT; sleep 2147483647 & wait");
        assertThat(busybox.getImage()).isEqualTo("k8s.lab/busybox:lab");
        assertThat(busybox.getCommand()).containsExactly("sh", "-c", "trap 'exit 0' TERM INT; sleep 2147483647 & wait");
        assertThat(nginx.getImage()).isEqualTo("k8s.lab/nginx:lab");
        assertThat(nginx.getCommand()).as("nginx keeps the image's own command").isNullOrEmpty();
        assertThat(nginx.getPorts()).extracting(ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(80, "TCP"));
    }

    @Test
    void serverDeclaresAndListensOnEveryPortOnce() {
        Pod pod = TestPods.netshootServer(IMAGES, "s",
                List.of(Port.tcp(80), Port.tcp(80).named("http"), Port.udp(53), Port.sctp(9000), Port.sctp(65000))).build();
        Container probe = probe(pod);

        assertThat(probe.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("http", 80, "TCP"),
                        org.assertj.core.groups.Tuple.tuple("serve-53-udp", 53, "UDP"),
                        org.assertj.core.groups.Tuple.tuple("serve-9000-sctp", 9000, "SCTP"),
                        org.assertj.core.groups.Tuple.tuple("srv-65000-sctp", 65000, "SCTP"));
        assertThat(probe.getPorts()).allSatisfy(p -> assertThat(p.getName().length()).isLessThanOrEqualTo(15));
        String script = probe.getCommand().get(2);
        assertThat(probe.getCommand().subList(0, 2)).containsExactly("sh", "-c");
        assertThat(script)
                .containsOnlyOnce("socat TCP4-LISTEN:80,fork,reuseaddr PIPE")
                .containsOnlyOnce("socat TCP6-LISTEN:80,ipv6only=1,fork,reuseaddr PIPE")
                .contains("socat UDP4-RECVFROM:53,fork PIPE")
                .contains("socat UDP6-RECVFROM:53,ipv6only=1,fork PIPE")
                .contains("socat SCTP4-LISTEN:9000,fork,reuseaddr PIPE || echo \"sctp unavailable")
                .endsWith("sleep 2147483647 & wait\n");
    }

    @Test
    void serverNeedsAPort() {
        assertThatThrownBy(() -> TestPods.netshootServer(IMAGES, "s", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s'");
    }

    @Test
    void onNodePinsByNodeNameAffinity() {
        Pod pod = TestPods.onNode(TestPods.busybox(IMAGES, "b"), "worker-2").build();

        var term = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchFields().get(0);
        assertThat(term.getKey()).isEqualTo("metadata.name");
        assertThat(term.getOperator()).isEqualTo("In");
        assertThat(term.getValues()).containsExactly("worker-2");
        assertThat(pod.getSpec().getNodeName()).isNull();
    }

    /**
     * Runs the server script as netshoot would, on loopback: echoes, tolerates SCTP, dies with a listener. With perl
     * one perl process serves TCP and UDP; without it (a PATH of sh, socat and what the script uses) socat does.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void serverScriptEchoesTcpAndUdpAndStopsWhenAListenerDies(boolean perl) throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/socat"))).as("socat installed").isTrue();
        assumeThat(!perl || Files.isExecutable(Path.of("/usr/bin/perl"))).as("perl installed").isTrue();
        int tcp = freePort();
        int udp = freePort();
        String script = TestPods.serverScript(List.of(Port.tcp(tcp), Port.udp(udp), Port.sctp(freePort())));
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        if (!perl) {
            Path bin = Files.createTempDirectory("no-perl");
            for (String tool : List.of("sh", "socat", "sleep", "awk", "cat")) {
                Path real = Path.of("/usr/bin", tool);
                Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
            }
            builder.environment().put("PATH", bin.toString());
        }
        Process shell = builder.start();
        List<ProcessHandle> started = List.of();
        try {
            String tcpEcho = retry(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp)) {
                    socket.setSoTimeout(2000);
                    OutputStream out = socket.getOutputStream();
                    out.write("ping-tcp\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    return new String(in.readNBytes(9), StandardCharsets.UTF_8);
                }
            });
            assertThat(tcpEcho).isEqualTo("ping-tcp\n");

            // retried like the TCP connect: a datagram sent before the UDP listener is up is simply lost
            String udpEcho = retry(() -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.setSoTimeout(500);
                    byte[] sent = "ping-udp".getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(sent, sent.length, InetAddress.getLoopbackAddress(), udp));
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    socket.receive(reply);
                    return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                }
            });
            assertThat(udpEcho).isEqualTo("ping-udp");
            assertThat(shell.isAlive()).as("an SCTP listener that cannot start must not stop the server").isTrue();
            // once the shell exits its children are reparented and no longer its descendants
            started = shell.descendants().toList();

            ProcessHandle tcpListener = shell.descendants()
                    .filter(p -> perl ? p.info().command().orElse("").endsWith("/perl")
                            : p.info().command().orElse("").endsWith("/socat")
                            && p.info().commandLine().orElse("").contains("TCP4-LISTEN:" + tcp))
                    .findFirst().orElseThrow();
            tcpListener.destroyForcibly();

            assertThat(shell.waitFor(5, TimeUnit.SECONDS)).as("server stops when a listener dies").isTrue();
            assertThat(shell.exitValue()).isEqualTo(1);
            // the other listeners, orphaned by the shell's exit, still hold its output pipe open: end them before
            // reading it to its end, or the read waits for them forever
            started.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : started) {
                p.onExit().get(5, TimeUnit.SECONDS);
            }
            assertThat(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains(perl ? "echo server exited" : "tcp/" + tcp + " listener exited", "a listener exited");
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    @Test
    void sleeperStopsAtOnceOnTerm() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", TestPods.EXIT_ON_TERM + "; " + TestPods.SLEEP_FOREVER).start();
        List<ProcessHandle> children = List.of();
        try {
            Thread.sleep(300);
            children = shell.descendants().toList();
            shell.destroy();
            assertThat(shell.waitFor(3, TimeUnit.SECONDS)).isTrue();
            assertThat(shell.exitValue()).isZero();
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    private interface Attempt<T> {
        T call() throws Exception;
    }

    private static <T> T retry(Attempt<T> attempt) throws Exception {
        Exception last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return attempt.call();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
