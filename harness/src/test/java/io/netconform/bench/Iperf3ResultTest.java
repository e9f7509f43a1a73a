package io.netconform.bench;

import io.netconform.probe.Fixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Iperf3ResultTest {

    @Test
    void tcpJsonGivesSentAndReceivedThroughput() {
        Iperf3Result r = Iperf3Result.parse(Fixture.load("40-iperf3-json.txt").output());
        assertThat(r.ok()).isTrue();
        assertThat(r.protocol()).isEqualTo("TCP");
        assertThat(r.numStreams()).isEqualTo(1);
        assertThat(r.sentBitsPerSecond()).isEqualTo(11076951170.85519);
        assertThat(r.receivedBitsPerSecond()).isEqualTo(11063168522.92762);
        assertThat(r.bitsPerSecond()).isEqualTo(11063168522.92762);
        assertThat(r.retransmits()).isEqualTo(3644L);
        assertThat(r.pmtu()).isEqualTo(1450);
        assertThat(r.jitterMs()).isNull();
    }

    @Test
    void refusedJsonWithExitZeroIsAFailureNotZeroThroughput() {
        Fixture fixture = Fixture.load("41-iperf3-refused.txt");
        assertThat(fixture.exitCode()).isZero();
        Iperf3Result r = Iperf3Result.parse(fixture.output());
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo("unable to connect to server: Connection refused");
        assertThat(r.receivedBitsPerSecond()).isNull();
        assertThatThrownBy(r::bitsPerSecond).hasMessageContaining("Connection refused");
    }

    @Test
    void plainTextErrorIsUnderstood() {
        Iperf3Result r = Iperf3Result.parse(Fixture.load("42-iperf3-refused-plain.txt").output());
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo("unable to connect to server: Connection refused");
    }

    @Test
    void udpSummaryFromTheFixtureNumbers() {
        // 43 shows end.sum of a real `iperf3 -u -J` run as a python dict; this is that run's JSON shape
        String summary = Fixture.load("43-iperf3-udp-json-summary.txt").output().strip();
        assertThat(summary).contains("'bits_per_second': 99952752.00803967", "'lost_packets': 35");
        String sum = summary.replace('\'', '"');
        String json = """
                {"start": {"version": "iperf 3.12", "test_start": {"protocol": "UDP", "num_streams": 1, "duration": 2}},
                 "intervals": [],
                 "end": {"streams": [], "sum": %s}}
                """.formatted(sum.substring(0, sum.length() - 1)
                + ", \"start\": 0, \"end\": 2.0, \"seconds\": 2.0, \"bytes\": 24987500, \"sender\": true}");
        Iperf3Result r = Iperf3Result.parse(json);
        assertThat(r.ok()).isTrue();
        assertThat(r.udp()).isTrue();
        assertThat(r.bitsPerSecond()).isEqualTo(99952752.00803967);
        assertThat(r.jitterMs()).isCloseTo(0.0018955309453461406, within(1e-15));
        assertThat(r.lostPackets()).isEqualTo(35L);
        assertThat(r.packets()).isEqualTo(17875L);
        assertThat(r.lostPercent()).isCloseTo(35.0 / 17875 * 100, within(1e-12));
        assertThat(r.retransmits()).isNull();
    }

    @Test
    void udpIsRecognisedByItsFieldsWhenTheStartBlockIsMissing() {
        Iperf3Result r = Iperf3Result.parse("""
                {"end": {"sum": {"bits_per_second": 1e6, "jitter_ms": 0.5, "lost_packets": 0, "packets": 100, "lost_percent": 0}}}
                """);
        assertThat(r.udp()).isTrue();
        assertThat(r.lostPercent()).isZero();
    }

    @Test
    void truncatedOrEmptyOutputIsAFailureWithTheReason() {
        assertThat(Iperf3Result.parse("").error()).contains("printed nothing");
        assertThat(Iperf3Result.parse("{\"start\": {").error()).contains("not valid JSON");
        assertThat(Iperf3Result.parse("{\"start\": {}, \"end\": {}}").error()).contains("no end.sum_sent/sum_received");
        assertThat(Iperf3Result.parse("Connecting to host 10.0.0.1, port 5201").error()).contains("was -J given?");
    }
}
