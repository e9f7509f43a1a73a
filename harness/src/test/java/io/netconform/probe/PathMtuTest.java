package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The path-MTU check's judgement over real outputs (fixtures); {@code ProbesInLabTest} runs it against a kernel. */
class PathMtuTest {

    private static final String IP = "10.244.1.10";
    private static final PodRef PA = new PodRef("lab", "pa", "main");
    private static final Duration T = Duration.ofSeconds(2);
    // `ip route get` as the probe lab's pods print it
    private static final String ROUTE = "10.244.1.10 via 10.244.0.1 dev eth0 src 10.244.0.10 uid 0 \n    cache \n";

    /** Answers by the first scripted fragment the command line contains; an unscripted command fails the test. */
    private static final class Scripted implements Executor {
        private final Map<String, ExecResult> answers = new LinkedHashMap<>();
        private final List<String> calls = new ArrayList<>();

        Scripted on(String fragment, ExecResult answer) {
            answers.put(fragment, answer);
            return this;
        }

        Scripted on(String fragment, String fixture) {
            return on(fragment, Fixture.load(fixture).exec());
        }

        @Override
        public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
            String line = String.join(" ", command);
            calls.add(line);
            return answers.entrySet().stream().filter(e -> line.contains(e.getKey())).findFirst()
                    .map(Map.Entry::getValue)
                    .orElseThrow(() -> new AssertionError("unscripted command: " + line));
        }
    }

    private static ExecResult ok(String stdout) {
        return ExecResult.completed(0, stdout, "", Duration.ofMillis(3));
    }

    private static Scripted rightMtuPod() {
        return new Scripted()
                .on("route get", ok(ROUTE))
                .on("/sys/class/net/eth0/mtu", ok("1450\n"))
                .on("-s 1422", "02-ping-df-1422-ok.txt")
                .on("-s 1423", "03-ping-df-1423-fail-local-mtu.txt")
                .on("tracepath", "05-tracepath-n.txt");
    }

    @Test
    void rightMtuPodPassesAndTheFailureIsTheLocalRoute() {
        Scripted executor = rightMtuPod();

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1450, T);

        assertThat(mtu.passed()).as(mtu.detail()).isTrue();
        assertThat(mtu.passSize()).isEqualTo(1422);
        assertThat(mtu.passSizeResult().outcome()).isEqualTo(DfOutcome.PASSED);
        assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.REFUSED_LOCALLY);
        assertThat(mtu.device()).contains("eth0");
        assertThat(mtu.interfaceMtu()).isEqualTo(OptionalInt.of(1450));
        assertThat(mtu.interfaceMatches()).isTrue();
        assertThat(mtu.pmtu()).isEqualTo(OptionalInt.of(1450));
        // the interface is read before any probe, and the one-byte-over ping comes before tracepath
        assertThat(executor.calls).containsExactly("ip route get " + IP, "cat /sys/class/net/eth0/mtu",
                "ping -M do -s 1422 -c 2 -i 0.2 -W 2 " + IP, "ping -M do -s 1423 -c 2 -i 0.2 -W 2 " + IP,
                "tracepath -n " + IP);
        assertThat(mtu.reproduce()).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("kubectl exec -n lab pa -c main -- "));
        assertThat(mtu.detail()).startsWith("path MTU 1450 confirmed to " + IP)
                .contains("1423 bytes (must fail): REFUSED_LOCALLY: the source pod refused it: ping: local error: message too long, mtu=1450");
    }

    @Test
    void podWithTooHighMtuPassesThePathCheckButNotTheInterfaceCheck() {
        Scripted executor = new Scripted()
                .on("route get", ok(ROUTE))
                .on("/sys/class/net/eth0/mtu", ok("1500\n"))
                .on("-s 1422", "04b-ping-df-1422-ok-mtu1500pod.txt")
                .on("-s 1423", "04-ping-df-1423-fail-icmp-fragneeded-mtu1500pod.txt")
                .on("tracepath", "05b-tracepath-n-mtu1500pod.txt");

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1450, T);

        assertThat(mtu.passed()).as(mtu.detail()).isTrue();
        assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.REFUSED_BY_HOP);
        assertThat(mtu.failSizeResult().mtu()).isEqualTo(OptionalInt.of(1450));
        assertThat(mtu.interfaceMatches()).isFalse();
        assertThat(mtu.pmtu()).isEqualTo(OptionalInt.of(1450));
        assertThat(mtu.detail()).contains("eth0 mtu 1500 is above the path MTU: larger packets rely on PMTU discovery");
    }

    @Test
    void oversizedPacketVanishingWithoutAnErrorIsABlackHoleAndFails() {
        String silence = "PING 10.244.1.10 (10.244.1.10) 1423(1451) bytes of data.\n\n--- 10.244.1.10 ping statistics ---\n"
                + "2 packets transmitted, 0 received, 100% packet loss, time 1018ms\n\n";
        Scripted executor = new Scripted()
                .on("route get", ok(ROUTE))
                .on("/sys/class/net/eth0/mtu", ok("1500\n"))
                .on("-s 1422", "04b-ping-df-1422-ok-mtu1500pod.txt")
                .on("-s 1423", ExecResult.completed(1, silence, "", Duration.ofSeconds(2)))
                .on("tracepath", "05b-tracepath-n-mtu1500pod.txt");

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1450, T);

        assertThat(mtu.passed()).isFalse();
        assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.SILENTLY_DROPPED);
        assertThat(mtu.detail()).startsWith("path MTU is not 1450").contains("PMTU black hole");
    }

    @Test
    void pathCarryingMoreThanExpectedFails() {
        Scripted executor = new Scripted()
                .on("route get", ok(ROUTE))
                .on("/sys/class/net/eth0/mtu", ok("1450\n"))
                .on("-s 1372", "02-ping-df-1422-ok.txt")
                .on("-s 1373", "02-ping-df-1422-ok.txt")
                .on("tracepath", "05-tracepath-n.txt");

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1400, T);

        assertThat(mtu.passed()).isFalse();
        assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.PASSED);
        assertThat(mtu.detail()).contains("1373 bytes (must fail): PASSED", "the path carries more than 1400",
                "eth0 mtu 1450", "tracepath pmtu 1450");
    }

    @Test
    void withoutSysfsTheInterfaceMtuComesFromIpLink() {
        Scripted executor = new Scripted()
                .on("route get", ok(ROUTE))
                .on("/sys/class/net/eth0/mtu", ExecResult.completed(1, "", "cat: can't open '/sys/class/net/eth0/mtu': No such file or directory\n", Duration.ofMillis(2)))
                .on("link show dev eth0", ok("2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 42:8b:a2:46:b1:e7 brd ff:ff:ff:ff:ff:ff link-netns lab-node1\n"))
                .on("-s 1422", "02-ping-df-1422-ok.txt")
                .on("-s 1423", "03-ping-df-1423-fail-local-mtu.txt")
                .on("tracepath", "05-tracepath-n.txt");

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1450, T);

        assertThat(mtu.interfaceMtu()).isEqualTo(OptionalInt.of(1450));
        assertThat(mtu.reproduce()).hasSize(6);
    }

    @Test
    void execFailuresAreErrorsNeverAPass() {
        ExecResult broken = ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR, "websocket closed", "", "", Duration.ofMillis(5));
        Executor executor = (pod, command, timeout) -> broken;

        PathMtu mtu = PathMtu.discover(executor, PA, IP, 1450, T);

        assertThat(mtu.passed()).isFalse();
        assertThat(mtu.passSizeResult().outcome()).isEqualTo(DfOutcome.ERROR);
        assertThat(mtu.failSizeOutcome()).isEqualTo(DfOutcome.ERROR);
        assertThat(mtu.interfaceMtu()).isEmpty();
        assertThat(mtu.device()).isEmpty();
        assertThat(mtu.pmtu()).isEmpty();
        assertThat(mtu.detail()).contains("websocket closed", "the pod interface mtu: could not be read", "tracepath reported no pmtu");
    }

    @Test
    void ipv6LeavesRoomFor48HeaderBytes() {
        List<String> seen = new ArrayList<>();
        Executor executor = (pod, command, timeout) -> {
            seen.add(String.join(" ", command));
            return ExecResult.completed(2, "", "connect: Network is unreachable\n", Duration.ofMillis(1));
        };

        PathMtu mtu = PathMtu.discover(executor, PA, "fd00::10", 1450, T);

        assertThat(mtu.passSize()).isEqualTo(1402);
        assertThat(seen).contains("ping -6 -M do -s 1402 -c 2 -i 0.2 -W 2 fd00::10", "ping -6 -M do -s 1403 -c 2 -i 0.2 -W 2 fd00::10");
        assertThat(mtu.passed()).isFalse();
    }

    @Test
    void expectedMtuSmallerThanTheHeadersIsRejected() {
        assertThatThrownBy(() -> PathMtu.discover(rightMtuPod(), PA, IP, 20, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20").hasMessageContaining("28 header bytes");
    }
}
