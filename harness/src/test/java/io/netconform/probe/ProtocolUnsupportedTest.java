package io.netconform.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "The cluster has no SCTP" is read from socat's own output, not from the words of a result's detail. */
class ProtocolUnsupportedTest {

    private static ProbeResult sctp(int exitCode, String output) {
        Probe probe = Probe.port("10.244.1.10", io.netconform.policy.Port.sctp(8082), Duration.ofSeconds(1));
        Probe.Reading reading = probe.interpret(exitCode, output);
        return new ProbeResult(reading.verdict(), reading.detail(), output, exitCode, Duration.ofMillis(5), "r", Map.of());
    }

    @Test
    void socatWithoutTheSctpModuleIsUnsupported() {
        assertThat(Probe.protocolUnsupported(sctp(1,
                "2026/11/25 14:21:12 socat[17897] E socket(2, 1, 132): Protocol not supported\n"))).isTrue();
    }

    @Test
    void aTimeoutOrAnExecFailureIsNot() {
        assertThat(Probe.protocolUnsupported(sctp(1,
                "2026/11/25 14:21:22 socat[19029] E connecting to AF=2 10.244.1.10:81: Connection timed out\n"))).isFalse();
        assertThat(Probe.protocolUnsupported(new ProbeResult(Verdict.ERROR,
                "exec TRANSPORT_ERROR: Protocol not supported", "Protocol not supported", -1, Duration.ZERO, "r",
                Map.of()))).isFalse();
    }
}
