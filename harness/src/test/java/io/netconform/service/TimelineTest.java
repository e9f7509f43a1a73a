package io.netconform.service;

import io.netconform.exec.PodRef;
import io.netconform.probe.WhoamiProbe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading what a client loop printed: attempts, answers, failures, the longest outage, the clock correction. */
class TimelineTest {

    static final PodRef POD = new PodRef("ns", "probe-n2", "probe");
    // a rolling restart as a client saw it: answered by the old pod, two refusals, then the new pod
    static final String OUTPUT = String.join("\n",
            "@1700000000000000000 whoami rolling-old 10.244.1.5 ",
            "@1700000000100000000 whoami rolling-old 10.244.1.5 ",
            "@1700000000200000000 2023/11/14 22:13:20 socat[12] E connect(5, AF=2 10.96.4.4:8080, 16): Connection refused ",
            "@1700000000300000000 2023/11/14 22:13:20 socat[13] E connect(5, AF=2 10.96.4.4:8080, 16): Connection refused ",
            "@1700000000450000000 whoami rolling-new 10.244.1.5 ",
            "bash: line 3: a shell's complaint that is not an attempt",
            "");

    @Test
    void readsAttemptsAnswersAndFailures() {
        Timeline t = Timeline.parse(POD, List.of("bash", "-c", "loop"), OUTPUT, Duration.ZERO);
        Instant start = Instant.ofEpochSecond(1_700_000_000L);

        assertThat(t.attempts()).hasSize(5);
        assertThat(t.first(start, a -> a.answeredBy("rolling-new"))).get()
                .satisfies(a -> assertThat(Duration.between(start, a.at())).isEqualTo(Duration.ofMillis(450)));
        assertThat(t.failures(start)).hasSize(2).allSatisfy(a -> assertThat(a.output()).contains("Connection refused"));
        assertThat(t.failures(start.plusMillis(400))).isEmpty();
        assertThat(t.longestOutage(start)).isEqualTo(Duration.ofMillis(250));
        assertThat(t.count(start.plusMillis(150))).isEqualTo(3);
        assertThat(t.reproduce()).isEqualTo("kubectl exec -n ns probe-n2 -c probe -- bash -c loop");
    }

    @Test
    void podTimesAreCorrectedByTheClockOffset() {
        // the pod's clock is 2 s ahead: its 22:13:22 is the harness's 22:13:20
        Timeline t = Timeline.parse(POD, List.of(), "@1700000002000000000 whoami a 1.2.3.4\n", Duration.ofSeconds(2));

        assertThat(t.attempts().get(0).at()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void anOutageThatLastsToTheEndCountsToTheLastAttempt() {
        Timeline t = Timeline.parse(POD, List.of(), String.join("\n", "@1000000000 whoami a 1.1.1.1",
                "@2000000000 ", "@4000000000 "), Duration.ZERO);

        assertThat(t.longestOutage(Instant.EPOCH)).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.first(Instant.EPOCH, a -> a.answeredBy("b"))).isEmpty();
    }

    @Test
    void theLoopStopsOnTheWantedAnswerOrTheStopFileAndMarksWhenReady() {
        List<String> loop = Timeline.loop(WhoamiProbe.udpFrom(40001, "10.96.0.7", 8081, Duration.ofSeconds(1)), 30,
                "/tmp/m", "whoami flow-a ", "whoami flow-b ");

        assertThat(loop.get(2)).contains("sourceport=40001").contains("[ ! -e /tmp/m.stop ]")
                .contains("*\"whoami flow-a \"*) touch /tmp/m").contains("*\"whoami flow-b \"*) exit 0");
    }
}
